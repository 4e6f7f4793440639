using Workbook.Core.Simulation;

namespace Workbook.Core.Tests.Simulation;

public class AliasTableTests
{
    public static TheoryData<double[]> Distributions => new()
    {
        new[] { 0.5, 0.25, 0.25 },
        new[] { 0.0, 0.0, 0.0, 0.0, 0.0, 1.0 },
        new[] { 1e-6, 1 - 1e-6 },
        new[] { 0.1, 0.0, 0.2, 0.3, 0.0, 0.4 },
        Enumerable.Repeat(1.0 / 7, 7).ToArray(),
    };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Table_implies_exactly_p(double[] p)
    {
        var implied = new AliasTable(p).ImpliedProbabilities();
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(p[i], implied[i], 1e-15);
        }
    }

    [Fact]
    public void Table_for_1000_random_classes_implies_p()
    {
        var g = new Xoshiro256StarStar(5);
        var p = Enumerable.Range(0, 1000).Select(_ => g.NextDouble()).ToArray();
        double s = p.Sum();
        p = p.Select(x => x / s).ToArray();
        var implied = new AliasTable(p).ImpliedProbabilities();
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(p[i], implied[i], 1e-15);
        }
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Draws_fit_p_by_chi_square_and_zero_classes_are_never_drawn(double[] p)
    {
        var t = new AliasTable(p);
        var rng = new Xoshiro256StarStar(11);
        const int n = 200_000;
        var counts = new long[p.Length];
        t.AddCounts(ref rng, n / 2, counts);
        for (int i = 0; i < n / 2; i++)
        {
            counts[t.Sample(ref rng)]++;
        }

        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == 0)
            {
                Assert.Equal(0, counts[i]);
            }
        }

        Stats.AssertChiSquareFits(counts.Select(c => (double)c).ToList(), p.Select(x => x * n).ToList(), "alias draws");
    }

    [Fact]
    public void Invalid_p_is_rejected_naming_p()
    {
        var e = Assert.Throws<ArgumentException>(() => new AliasTable([0.5, 0.6]));
        Assert.Equal("p", e.ParamName);
    }
}
