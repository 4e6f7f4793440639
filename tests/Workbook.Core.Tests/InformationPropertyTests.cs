using CsCheck;

namespace Workbook.Core.Tests;

/// <summary>Properties of the information measures over random distributions (CsCheck), special values and bad input.</summary>
public class InformationPropertyTests
{
    private static readonly Gen<double[]> Dist = Gen.Double[0.0, 1.0].Array[2, 12].Where(a => a.Sum() > 1e-3)
        .Select(a => { double s = a.Sum(); return a.Select(v => v / s).ToArray(); });

    private static Gen<(double[] P, double[] Q)> Pair => Gen.Int[2, 12].SelectMany(n =>
        Gen.Select(Gen.Double[1e-6, 1.0].Array[n], Gen.Double[1e-6, 1.0].Array[n])).Select(t =>
            (Normalize(t.Item1), Normalize(t.Item2)));

    private static double[] Normalize(double[] a)
    {
        double s = a.Sum();
        return a.Select(v => v / s).ToArray();
    }

    [Fact]
    public void Gibbs_inequality_cross_entropy_is_at_least_entropy() =>
        Pair.Sample(t => Information.CrossEntropy(t.P, t.Q, tolerance: 1e-9) >= Information.Entropy(t.P, tolerance: 1e-9) - 1e-12);

    [Fact]
    public void Kl_divergence_is_non_negative_and_equals_cross_entropy_minus_entropy() =>
        Pair.Sample(t =>
        {
            double kl = Information.KlDivergence(t.P, t.Q);
            return kl >= 0 && Math.Abs(kl - (Information.CrossEntropy(t.P, t.Q) - Information.Entropy(t.P))) < 1e-9;
        });

    [Fact]
    public void Kl_divergence_of_a_distribution_with_itself_is_exactly_zero() =>
        Dist.Sample(p => Information.KlDivergence(p, p) == 0.0);

    [Fact]
    public void Perplexity_of_a_uniform_distribution_is_its_size()
    {
        Assert.Equal(6.0, Information.Perplexity(Enumerable.Repeat(1.0 / 6, 6).ToArray()), 12);
        Assert.Equal(8.0, Information.PerplexityFromEntropy(3.0, InformationUnit.Bits), 12);
    }

    [Fact]
    public void Self_information_of_one_half_is_one_bit_and_of_zero_is_infinite()
    {
        Assert.Equal(1.0, Information.SelfInformation(0.5, InformationUnit.Bits), 15);
        Assert.Equal(double.PositiveInfinity, Information.SelfInformation(0.0));
        Assert.Equal(0.0, Information.SelfInformation(1.0));
        Assert.True(double.IsFinite(Information.SelfInformation(double.Epsilon)));
    }

    [Fact]
    public void Zero_model_probability_where_p_is_positive_gives_positive_infinity_not_nan()
    {
        Assert.Equal(double.PositiveInfinity, Information.CrossEntropy([0.5, 0.5], [1.0, 0.0]));
        Assert.Equal(double.PositiveInfinity, Information.KlDivergence([0.5, 0.5], [1.0, 0.0]));
        Assert.Equal(0.0, Information.CrossEntropy([1.0, 0.0], [1.0, 0.0]));
    }

    [Fact]
    public void Subnormal_probabilities_give_finite_measures()
    {
        double tiny = double.Epsilon * 4;
        double[] p = [1.0 - tiny, tiny];
        double[] q = [tiny, 1.0 - tiny];
        Assert.True(double.IsFinite(Information.Entropy(p)));
        Assert.True(double.IsFinite(Information.KlDivergence(p, q)));
        Assert.True(Information.KlDivergence(p, q) > 700);
    }

    [Fact]
    public void CrossEntropy_names_q_when_it_does_not_sum_to_one()
    {
        var e = Assert.Throws<ArgumentException>(() => Information.CrossEntropy([0.5, 0.5], [0.5, 0.43]));
        Assert.Equal("q", e.ParamName);
        Assert.Matches(@"q sums to 0\.9299\d*, expected 1 ± 1E-09", e.Message);
    }

    [Fact]
    public void CrossEntropy_accepts_a_looser_sum_tolerance_when_asked() =>
        Assert.True(double.IsFinite(Information.CrossEntropy([0.5, 0.5], [0.5, 0.49], tolerance: 0.02)));

    [Fact]
    public void KlDivergence_throws_for_length_mismatch_naming_q()
    {
        var e = Assert.Throws<ArgumentException>(() => Information.KlDivergence([0.5, 0.5], [1.0]));
        Assert.Equal("q", e.ParamName);
        Assert.Contains("length", e.Message);
    }

    [Fact]
    public void Entropy_throws_for_empty_negative_and_nan_input()
    {
        Assert.Equal("p", Assert.Throws<ArgumentException>(() => Information.Entropy([])).ParamName);
        Assert.Contains("p[0] is 1.5", Assert.Throws<ArgumentException>(() => Information.Entropy([1.5, -0.5])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Information.Entropy([double.NaN, 1.0])).Message);
    }

    [Fact]
    public void Entropy_throws_for_a_non_positive_base_naming_logBase()
    {
        var e = Assert.Throws<ArgumentException>(() => Information.Entropy([1.0], logBase: -2.0));
        Assert.Equal("logBase", e.ParamName);
        Assert.Equal("logBase", Assert.Throws<ArgumentException>(() => Information.CrossEntropy([1.0], [1.0], 0.0)).ParamName);
    }
}
