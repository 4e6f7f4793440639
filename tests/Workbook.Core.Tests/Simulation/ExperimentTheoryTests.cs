using CsCheck;
using Workbook.Core.Simulation;

namespace Workbook.Core.Tests.Simulation;

public class ExperimentTheoryTests
{
    private static readonly Gen<(double[] P, double[] Q)> Pairs =
        Gen.Int[1, 20].SelectMany(k => Gen.Select(Gen.Double[0.0, 1.0].Array[k], Gen.Double[1e-9, 1.0].Array[k]))
            .Where(t => t.Item1.Sum() > 0)
            .Select(t => (Normalize(t.Item1), Normalize(t.Item2)));

    private static double[] Normalize(double[] x)
    {
        double s = x.Sum();
        return x.Select(v => v / s).ToArray();
    }

    [Fact]
    public void Gibbs_inequality_KL_is_non_negative_and_equals_the_gap()
    {
        Pairs.Sample(t =>
        {
            var th = ExperimentTheory.For(t.P, t.Q);
            Assert.True(th.KL >= 0);
            Assert.True(th.CrossEntropy >= th.Entropy - 1e-12);
            Assert.Equal(th.CrossEntropy - th.Entropy, th.KL, 1e-9);
            Assert.True(th.VarPerDraw >= 0 && th.Varentropy >= 0);
        });
    }

    [Fact]
    public void Self_scoring_gives_zero_KL_and_variance_equal_to_varentropy()
    {
        Pairs.Sample(t =>
        {
            var th = ExperimentTheory.For(t.P, t.P);
            Assert.Equal(th.Entropy, th.CrossEntropy, 1e-12);
            Assert.Equal(0.0, th.KL, 1e-12);
            Assert.Equal(th.Varentropy, th.VarPerDraw, 1e-12);
        });
    }

    [Fact]
    public void Zero_model_probability_on_a_possible_class_gives_infinite_cross_entropy_and_nan_variance()
    {
        var th = ExperimentTheory.For([0.5, 0.5], [1.0, 0.0]);
        Assert.Equal(double.PositiveInfinity, th.CrossEntropy);
        Assert.Equal(double.PositiveInfinity, th.KL);
        Assert.True(double.IsNaN(th.VarPerDraw));
        Assert.Equal(0.5, th.ImpossibleMass);
        // A zero in q where p is also zero is harmless.
        Assert.Equal(Math.Log(2), ExperimentTheory.For([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]).CrossEntropy, 1e-15);
    }

    [Fact]
    public void Mismatched_lengths_name_q()
    {
        Assert.Equal("q", Assert.Throws<ArgumentException>(() => ExperimentTheory.For([0.5, 0.5], [1.0])).ParamName);
    }
}
