using MathNet.Numerics.Distributions;

namespace Workbook.Core.Tests.Simulation;

/// <summary>Goodness-of-fit helpers for the distribution tests (critical values at a 1e-6 false-alarm rate, so a
/// fixed-seed test fails only for a real discrepancy).</summary>
internal static class Stats
{
    public const double Alpha = 1e-6;

    /// <summary>Pearson chi-square of observed counts against expected counts, after merging adjacent cells until each
    /// expects at least 5. Returns (statistic, degrees of freedom).</summary>
    public static (double Stat, int Df) ChiSquare(IReadOnlyList<double> observed, IReadOnlyList<double> expected)
    {
        var obs = new List<double>();
        var exp = new List<double>();
        double o = 0, e = 0;
        for (int i = 0; i < observed.Count; i++)
        {
            o += observed[i];
            e += expected[i];
            if (e >= 5)
            {
                obs.Add(o);
                exp.Add(e);
                o = e = 0;
            }
        }

        if (exp.Count > 0)
        {
            obs[^1] += o;
            exp[^1] += e;
        }

        double stat = 0;
        for (int i = 0; i < obs.Count; i++)
        {
            stat += (obs[i] - exp[i]) * (obs[i] - exp[i]) / exp[i];
        }

        return (stat, obs.Count - 1);
    }

    public static void AssertChiSquareFits(IReadOnlyList<double> observed, IReadOnlyList<double> expected, string what)
    {
        var (stat, df) = ChiSquare(observed, expected);
        if (df < 1)
        {
            // Everything expected in one cell: a fit test has nothing to compare; the totals must agree.
            Assert.Equal(expected.Sum(), observed.Sum(), 6);
            return;
        }

        double crit = ChiSquared.InvCDF(df, 1 - Alpha);
        Assert.True(stat <= crit, $"{what}: chi-square {stat:G6} > {crit:G6} (df {df})");
    }

    /// <summary>Two-sample chi-square on category counts (equal sample sizes): Σ (a - b)² / (a + b).</summary>
    public static void AssertSameDistribution(IDictionary<double, int> a, IDictionary<double, int> b, string what)
    {
        var keys = a.Keys.Union(b.Keys).Order().ToList();
        double stat = 0, ca = 0, cb = 0;
        int df = -1;
        foreach (double key in keys)
        {
            ca += a.TryGetValue(key, out int x) ? x : 0;
            cb += b.TryGetValue(key, out int y) ? y : 0;
            if (ca + cb >= 20)
            {
                stat += (ca - cb) * (ca - cb) / (ca + cb);
                df++;
                ca = cb = 0;
            }
        }

        if (ca + cb > 0)
        {
            stat += (ca - cb) * (ca - cb) / (ca + cb);
            df++;
        }

        Assert.True(df >= 1, $"{what}: too few cells");
        double crit = ChiSquared.InvCDF(df, 1 - Alpha);
        Assert.True(stat <= crit, $"{what}: two-sample chi-square {stat:G6} > {crit:G6} (df {df})");
    }

    public static Dictionary<double, int> Histogram(IEnumerable<double> values)
    {
        var d = new Dictionary<double, int>();
        foreach (double v in values)
        {
            d[v] = d.GetValueOrDefault(v) + 1;
        }

        return d;
    }

    /// <summary>Binomial(n, p) pmf by the recurrence P(0) = q^n, P(x+1) = P(x) (n-x)/(x+1) p/q (independent of the
    /// sampler's log-factorials).</summary>
    public static double[] BinomialPmf(int n, double p)
    {
        // In logs, so q^n may underflow without zeroing the whole pmf.
        var pmf = new double[n + 1];
        double lp = n * Math.Log(1 - p);
        pmf[0] = Math.Exp(lp);
        for (int x = 0; x < n; x++)
        {
            lp += Math.Log((double)(n - x) / (x + 1)) + Math.Log(p / (1 - p));
            pmf[x + 1] = Math.Exp(lp);
        }

        return pmf;
    }
}
