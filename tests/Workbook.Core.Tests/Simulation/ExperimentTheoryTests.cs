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

    [Fact]
    public void Deviation_bound_holds_in_simulated_runs_and_shrinks_with_n()
    {
        double[] p = [0.7, 0.2, 0.0999, 0.0001];
        var th = ExperimentTheory.For(p, p);
        const double delta = 0.05;
        var summary = Experiment.RunMany(p, p, 2000, seed: 11, runs: 400, checkpoints: [20, 2000]);
        for (int c = 0; c < 2; c++)
        {
            long n = summary.Checkpoints[c];
            double t = th.DeviationBound(n, delta);
            int outside = summary.Runs.Count(r => Math.Abs(r.MinusLogPOverN[c] - th.Entropy) >= t);
            Assert.True(outside <= 400 * delta, $"n = {n}: {outside} of 400 runs outside t = {t}");
        }

        Assert.True(th.DeviationBound(20_000, delta) < th.DeviationBound(2000, delta));
    }

    [Fact]
    public void Deviation_bound_is_zero_when_every_draw_has_the_same_surprisal_and_infinite_when_q_rules_out_a_draw()
    {
        Assert.Equal(0.0, ExperimentTheory.For([0.25, 0.25, 0.5 - 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]).DeviationBound(10, 1e-6), 1e-12);
        Assert.Equal(0.0, ExperimentTheory.For([1.0, 0.0], [1.0, 0.0]).DeviationBound(10, 1e-6));
        Assert.Equal(double.PositiveInfinity, ExperimentTheory.For([0.5, 0.5], [1.0, 0.0]).DeviationBound(10, 1e-6, crossEntropy: true));
        Assert.Throws<ArgumentException>(() => ExperimentTheory.For([0.5, 0.5], [0.5, 0.5]).DeviationBound(0, 0.1));
        Assert.Throws<ArgumentException>(() => ExperimentTheory.For([0.5, 0.5], [0.5, 0.5]).DeviationBound(10, 1.0));
    }

    [Fact]
    public void Normal_approximation_error_is_the_berry_esseen_bound_and_nan_without_variance()
    {
        // A coin with bias 0.9: the surprisal takes two values; rho / sigma^3 = (1 - 2b)^2 + ... computed directly.
        double b = 0.9;
        var th = ExperimentTheory.For([b, 1 - b], [b, 1 - b]);
        double d = Math.Log(b / (1 - b));       // the two surprisals differ by d
        double sigma = Math.Sqrt(b * (1 - b)) * d;
        double rho = b * (1 - b) * ((1 - b) * (1 - b) + b * b) * d * d * d;
        Assert.Equal(0.4748 * rho / (sigma * sigma * sigma * 10), th.NormalApproximationError(100), 1e-12);
        Assert.True(double.IsNaN(ExperimentTheory.For([0.5, 0.5], [0.5, 0.5]).NormalApproximationError(100)));
    }
}
