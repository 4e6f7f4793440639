using System.Text.Json;
using Workbook.Core.Simulation;

namespace Workbook.Core.Tests.Simulation;

public class ExperimentTests
{
    public sealed record Case(string Id, double[] P, double[] Q, double H, double Hpq, double Kl, double Var,
        double Varentropy, string Notes)
    {
        public override string ToString() => Id;
    }

    /// <summary>Every case of every *.json under data/reference/simulation.</summary>
    public static TheoryData<Case> Cases()
    {
        var data = new TheoryData<Case>();
        foreach (string file in Directory.EnumerateFiles(RepoPaths.Data("reference", "simulation"), "*.json").Order())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                var nats = c.GetProperty("nats");
                data.Add(new Case(c.GetProperty("id").GetString()!, Vec(c.GetProperty("p")), Vec(c.GetProperty("q")),
                    Num(nats.GetProperty("H_p")), Num(nats.GetProperty("H_pq")), Num(nats.GetProperty("KL_pq")),
                    Num(nats.GetProperty("var_per_draw")), Num(nats.GetProperty("varentropy_p")),
                    c.TryGetProperty("notes", out var n) ? n.GetString() ?? "" : ""));
            }
        }

        return data;
    }

    private static double[] Vec(JsonElement e) => e.EnumerateArray().Select(Num).ToArray();

    private static double Num(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            var s => throw new FormatException("unknown number " + s),
        }
        : e.GetDouble();

    private static void Close(double expected, double actual, string what)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }

        Assert.True(Math.Abs(actual - expected) <= Math.Max(1e-15, 1e-12 * Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analytic_values_match_the_reference(Case c)
    {
        var t = ExperimentTheory.For(c.P, c.Q);
        Close(c.H, t.Entropy, "H_p");
        Close(c.Hpq, t.CrossEntropy, "H_pq");
        Close(c.Kl, t.KL, "KL_pq");
        Close(c.Var, t.VarPerDraw, "var_per_draw");
        Close(c.Varentropy, t.Varentropy, "varentropy_p");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Seeded_runs_land_within_5_standard_errors_at_large_n(Case c)
    {
        // heavy_tail_rare_class: the normal approximation needs N >> 1e6 (the rare class has p = 1e-6); use 1e12.
        long n = c.Id == "heavy_tail_rare_class" ? 1_000_000_000_000L : 1_000_000_000L;
        foreach (long seed in new long[] { 1, 2, 3 })
        {
            var run = Experiment.Run(c.P, c.Q, n, seed);
            double q = run.MinusLogQOverN[^1];
            double pEst = run.MinusLogPOverN[^1];
            Assert.Equal(n, run.Checkpoints[^1]);
            Assert.Equal(n, run.FinalCounts.Sum());
            if (double.IsPositiveInfinity(c.Hpq))
            {
                Assert.Equal(double.PositiveInfinity, q);
                Assert.True(run.CrossEntropyEstimateIsInfinite);
                Assert.InRange(run.FirstImpossibleDraw, 1, n);
            }
            else
            {
                Assert.False(run.CrossEntropyEstimateIsInfinite);
                Assert.True(Math.Abs(q - c.Hpq) <= 5 * Math.Sqrt(c.Var / n) + 1e-12 * c.Hpq,
                    $"{c.Id} seed {seed}: {q:R} vs {c.Hpq:R}, se {Math.Sqrt(c.Var / n):G3}");
            }

            Assert.True(Math.Abs(pEst - c.H) <= 5 * Math.Sqrt(c.Varentropy / n) + 1e-12 * c.H,
                $"{c.Id} seed {seed}: -log P_p / n {pEst:R} vs H {c.H:R}");
        }
    }

    [Fact]
    public void Same_seed_gives_identical_results_and_different_seeds_differ()
    {
        double[] p = [0.5, 0.25, 0.25], q = [0.4, 0.4, 0.2];
        var a = Experiment.Run(p, q, 1_000_000_000_000L, 17);
        var b = Experiment.Run(p, q, 1_000_000_000_000L, 17);
        var c = Experiment.Run(p, q, 1_000_000_000_000L, 18);
        Assert.Equal(a.MinusLogQOverN, b.MinusLogQOverN);
        Assert.Equal(a.MinusLogPOverN, b.MinusLogPOverN);
        Assert.Equal(a.FinalCounts, b.FinalCounts);
        Assert.NotEqual(a.FinalCounts, c.FinalCounts);

        var m1 = Experiment.RunMany(p, q, 1_000_000, 5, runs: 50);
        var m2 = Experiment.RunMany(p, q, 1_000_000, 5, runs: 50);
        Assert.Equal(m1.Q05, m2.Q05);
        Assert.Equal(m1.MeanMinusLogQOverN, m2.MeanMinusLogQOverN);
        // Run 0 of RunMany is Run with the same seed.
        Assert.Equal(Experiment.Run(p, q, 1_000_000, 5).MinusLogQOverN, m1.Runs[0].MinusLogQOverN);
    }

    [Fact]
    public void Draw_by_draw_and_count_jumping_agree_in_distribution()
    {
        double[] p = [0.5, 0.3, 0.15, 0.05], q = [0.4, 0.3, 0.2, 0.1];
        long[] cps = [3, 20, 200];
        const int runs = 20_000;
        var draw = Experiment.RunMany(p, q, 200, 1001, runs, cps, mode: SegmentMode.DrawByDraw);
        var jump = Experiment.RunMany(p, q, 200, 2002, runs, cps, mode: SegmentMode.CountJump);
        for (int j = 0; j < cps.Length; j++)
        {
            Stats.AssertSameDistribution(
                Stats.Histogram(draw.Runs.Select(r => Math.Round(r.MinusLogQOverN[j], 12))),
                Stats.Histogram(jump.Runs.Select(r => Math.Round(r.MinusLogQOverN[j], 12))),
                $"-log P_q / n at n = {cps[j]}");
            Stats.AssertSameDistribution(
                Stats.Histogram(draw.Runs.Select(r => Math.Round(r.MinusLogPOverN[j], 12))),
                Stats.Histogram(jump.Runs.Select(r => Math.Round(r.MinusLogPOverN[j], 12))),
                $"-log P_p / n at n = {cps[j]}");
        }
    }

    [Fact]
    public void Class_counts_fit_the_binomial_marginal_in_both_modes()
    {
        double[] p = [0.5, 0.3, 0.2], q = [1.0 / 3, 1.0 / 3, 1.0 / 3];
        const int runs = 20_000;
        foreach (var mode in new[] { SegmentMode.DrawByDraw, SegmentMode.CountJump })
        {
            var hist = new double[41];
            for (int r = 0; r < runs; r++)
            {
                var run = Experiment.Run(p, q, 40, 10_000 + r, [40], mode);
                hist[run.FinalCounts[1]]++;
            }

            Stats.AssertChiSquareFits(hist, Stats.BinomialPmf(40, 0.3).Select(x => x * runs).ToList(), $"{mode} counts");
        }
    }

    [Fact]
    public void First_impossible_draw_is_geometric_in_both_modes()
    {
        // q gives 0 to class 2, which p draws with probability 0.1: first impossible draw ~ Geometric(0.1).
        double[] p = [0.6, 0.3, 0.1], q = [0.5, 0.5, 0.0];
        const int runs = 20_000;
        long[] cps = [1000];
        foreach (var mode in new[] { SegmentMode.DrawByDraw, SegmentMode.CountJump })
        {
            var s = Experiment.RunMany(p, q, 1000, 77, runs, cps, mode: mode);
            var hist = new double[61];
            foreach (var r in s.Runs)
            {
                Assert.True(r.CrossEntropyEstimateIsInfinite);   // P(no impossible draw in 1000) = 0.9^1000
                Assert.Equal(double.PositiveInfinity, r.MinusLogQOverN[0]);
                Assert.True(double.IsFinite(r.MinusLogPOverN[0]));
                hist[Math.Min(r.FirstImpossibleDraw, 60)]++;
            }

            var expected = Enumerable.Range(0, 61).Select(g => g == 0 ? 0.0
                : g < 60 ? Math.Pow(0.9, g - 1) * 0.1 * runs : Math.Pow(0.9, 59) * runs).ToList();
            Stats.AssertChiSquareFits(hist, expected, $"{mode} first impossible draw");
        }
    }

    [Fact]
    public void Estimate_is_finite_before_and_infinite_from_the_first_impossible_draw()
    {
        double[] p = [0.999, 0.001], q = [1.0, 0.0];
        var run = Experiment.Run(p, q, 100_000, 3, Enumerable.Range(1, 5000).Select(i => (long)i * 20).ToArray());
        Assert.True(run.CrossEntropyEstimateIsInfinite);
        for (int j = 0; j < run.Checkpoints.Length; j++)
        {
            bool after = run.Checkpoints[j] >= run.FirstImpossibleDraw;
            Assert.Equal(after, double.IsPositiveInfinity(run.MinusLogQOverN[j]));
            Assert.False(double.IsNaN(run.MinusLogQOverN[j]));
        }
    }

    [Fact]
    public void Many_runs_cover_the_theoretical_band_about_90_percent()
    {
        double[] p = [0.5, 0.25, 0.25], q = [0.4, 0.4, 0.2];
        const int runs = 1000;
        var s = Experiment.RunMany(p, q, 1_000_000_000L, 21, runs);
        int last = s.Checkpoints.Length - 1;
        Assert.True(s.Q05[last] <= s.Q50[last] && s.Q50[last] <= s.Q95[last]);
        int inside = s.Runs.Count(r => r.MinusLogQOverN[last] >= s.BandLow[last] && r.MinusLogQOverN[last] <= s.BandHigh[last]);
        double frac = (double)inside / runs;
        Assert.InRange(frac, 0.9 - 5 * 0.0095, 0.9 + 5 * 0.0095);
        Assert.Equal(1.0, s.FractionInBand[last]);
        Assert.Equal(1.0, s.FractionTypical[last]);
        Assert.True(s.FractionTypical[0] < 1.0);   // one draw is rarely typical
        Assert.Equal(s.Theory.CrossEntropy, s.MeanMinusLogQOverN[last], 1e-4);
    }

    [Fact]
    public void Log_spaced_checkpoints_run_from_1_to_n()
    {
        long[] c = Experiment.LogSpaced(1_000_000_000_000L, 60);
        Assert.Equal(60, c.Length);
        Assert.Equal(1, c[0]);
        Assert.Equal(1_000_000_000_000L, c[^1]);
        Assert.True(c.Zip(c.Skip(1)).All(t => t.First < t.Second));
        Assert.Equal([1L], Experiment.LogSpaced(1));
        Assert.Equal([1L, 2L, 3L], Experiment.LogSpaced(3, 10));
    }

    [Fact]
    public void Checkpoint_list_is_sorted_deduplicated_and_ends_at_n()
    {
        var run = Experiment.Run([0.5, 0.5], [0.5, 0.5], 1000, 1, [100, 10, 10]);
        Assert.Equal([10L, 100L, 1000L], run.Checkpoints);
        Assert.All(run.MinusLogQOverN, v => Assert.Equal(Math.Log(2), v, 1e-15));
    }

    [Fact]
    public void Invalid_arguments_are_named()
    {
        double[] p = [0.5, 0.5];
        Assert.Equal("p", Assert.Throws<ArgumentException>(() => Experiment.Run([0.5, 0.4], p, 10, 1)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentException>(() => Experiment.Run(p, [0.5, double.NaN], 10, 1)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentException>(() => Experiment.Run(p, [1.0], 10, 1)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => Experiment.Run(p, p, 0, 1)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => Experiment.Run(p, p, -5, 1)).ParamName);
        Assert.Equal("checkpoints", Assert.Throws<ArgumentException>(() => Experiment.Run(p, p, 10, 1, [])).ParamName);
        Assert.Equal("checkpoints", Assert.Throws<ArgumentException>(() => Experiment.Run(p, p, 10, 1, [11])).ParamName);
        Assert.Equal("checkpoints", Assert.Throws<ArgumentException>(() => Experiment.Run(p, p, 10, 1, [0])).ParamName);
        Assert.Equal("runs", Assert.Throws<ArgumentException>(() => Experiment.RunMany(p, p, 10, 1, 0)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentException>(() => Experiment.RunMany(p, p, 10, 1, 2, epsilon: 0)).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => Experiment.RunMany(p, p, 10, 1, 2, z: double.NaN)).ParamName);
    }

    [Fact]
    public void Runs_reach_long_max_value_draws()
    {
        var run = Experiment.Run([0.5, 0.5], [0.9, 0.1], long.MaxValue, 1);
        Assert.Equal(long.MaxValue, run.FinalCounts[0] + run.FinalCounts[1]);
        Assert.Equal(ExperimentTheory.For([0.5, 0.5], [0.9, 0.1]).CrossEntropy, run.MinusLogQOverN[^1], 1e-8);
    }
}
