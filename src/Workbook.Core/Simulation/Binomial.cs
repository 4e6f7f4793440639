namespace Workbook.Core.Simulation;

/// <summary>Exact binomial and multinomial sampling for any number of trials up to <see cref="long.MaxValue"/>.</summary>
/// <remarks>
/// <para>Binomial(n, p): with p' = min(p, 1 - p), it uses inversion (sequential search from 0) when n p' &lt; 10 and
/// Hörmann's BTRS transformed rejection with squeeze (W. Hörmann, "The generation of binomial random variates",
/// J. Stat. Comput. Simul. 46, 1993) otherwise, then reflects (n - X) when p &gt; 1/2. Both are exact: the output
/// has the Binomial(n, p) law up to float64 rounding of the acceptance test. The log-pmf ratio in the acceptance
/// test is evaluated in a cancellation-free form (log1p of differences of factorials' Stirling series), so it keeps
/// about 1e-9 absolute accuracy even at n = 10^12, where a naive lgamma difference would lose it.</para>
/// <para>Expected cost is O(1) per draw for BTRS (about 1.2 iterations) and O(n p') for inversion (at most ~10).</para>
/// <para>Multinomial(n, p): conditional binomials, n_i ~ Binomial(n - n_0 - ... - n_{i-1}, p_i / (p_i + ... + p_{k-1})),
/// O(k) binomial draws whatever n is, stopping early when no trials remain.</para>
/// </remarks>
public static class Binomial
{
    private const int TableSize = 256;
    private static readonly double[] LogFactorialTable = BuildLogFactorials();

    /// <summary>One Binomial(<paramref name="n"/>, <paramref name="p"/>) draw: the number of successes in n
    /// independent trials of success probability p.</summary>
    /// <remarks>n = 0 gives 0; p = 0 gives 0; p = 1 gives n.</remarks>
    /// <exception cref="ArgumentException">n is negative, or p is NaN or outside [0, 1].</exception>
    public static long Sample(ref Xoshiro256StarStar rng, long n, double p)
    {
        if (n < 0)
        {
            throw new ArgumentException($"n is {n}, expected a number of trials >= 0", nameof(n));
        }

        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentException($"p is {Validate.Format(p)}, expected a probability in [0, 1]", nameof(p));
        }

        return SampleUnchecked(ref rng, n, p);
    }

    /// <summary>Multinomial(<paramref name="n"/>, <paramref name="p"/>) counts written to
    /// <paramref name="counts"/> (overwritten; length k).</summary>
    /// <remarks>Classes with p_i = 0 get 0. The counts always sum to n.</remarks>
    /// <exception cref="ArgumentException">n is negative, p is not a distribution, or counts has the wrong length.</exception>
    public static void Multinomial(ref Xoshiro256StarStar rng, long n, ReadOnlySpan<double> p, Span<long> counts)
    {
        if (n < 0)
        {
            throw new ArgumentException($"n is {n}, expected a number of trials >= 0", nameof(n));
        }

        Validate.Distribution(p, nameof(p));
        Validate.SameLength(p.Length, counts.Length, nameof(counts), nameof(p));
        counts.Clear();
        new MultinomialSampler(p).AddCounts(ref rng, n, counts);
    }

    /// <summary>Array convenience: Multinomial(n, p) counts as a new array.</summary>
    /// <exception cref="ArgumentException">As <see cref="Multinomial(ref Xoshiro256StarStar, long, ReadOnlySpan{double}, Span{long})"/>.</exception>
    public static long[] Multinomial(ref Xoshiro256StarStar rng, long n, double[] p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var counts = new long[p.Length];
        Multinomial(ref rng, n, p, counts);
        return counts;
    }

    internal static long SampleUnchecked(ref Xoshiro256StarStar rng, long n, double p)
    {
        if (n == 0 || p <= 0.0)
        {
            return 0;
        }

        if (p >= 1.0)
        {
            return n;
        }

        bool flip = p > 0.5;
        double pp = flip ? 1.0 - p : p;
        long x = n * pp < 10.0 ? Inversion(ref rng, n, pp) : Btrs(ref rng, n, pp);
        return flip ? n - x : x;
    }

    /// <summary>Sequential-search inversion: P(0) = q^n, P(x+1) = P(x) (n - x) / (x + 1) * p / q.</summary>
    private static long Inversion(ref Xoshiro256StarStar rng, long n, double p)
    {
        double q = 1.0 - p;
        double s = p / q;
        double a = (n + 1.0) * s;
        double r0 = Math.Exp(n * SimMath.Log1p(-p));
        while (true)
        {
            double u = rng.NextDouble();
            double r = r0;
            long x = 0;
            while (u > r)
            {
                u -= r;
                x++;
                if (x > 110 || x > n)
                {
                    break;  // rounding left u above the remaining mass (probability < 1e-30): redraw
                }

                r *= a / x - s;
            }

            if (x <= 110 && x <= n)
            {
                return x;
            }
        }
    }

    /// <summary>BTRS (Hörmann 1993), requires p &lt;= 1/2 and n p &gt;= 10.</summary>
    private static long Btrs(ref Xoshiro256StarStar rng, long n, double p)
    {
        double q = 1.0 - p;
        double spq = Math.Sqrt(n * p * q);
        double b = 1.15 + 2.53 * spq;
        double a = -0.0873 + 0.0248 * b + 0.01 * p;
        double c = n * p + 0.5;
        double alpha = (2.83 + 5.1 / b) * spq;
        double vr = 0.92 - 4.2 / b;
        double lpq = Math.Log(p / q);
        long m = (long)Math.Floor((n + 1.0) * p);
        if (m > n)
        {
            m = n;
        }

        while (true)
        {
            double u = rng.NextDoubleOpen() - 0.5;
            double v = rng.NextDoubleOpen();
            double us = 0.5 - Math.Abs(u);
            double kd = Math.Floor((2.0 * a / us + b) * u + c);
            if (us >= 0.07 && v <= vr)
            {
                return (long)kd;
            }

            if (kd < 0.0 || kd > n)
            {
                continue;
            }

            long k = (long)kd;
            double lv = Math.Log(v * alpha / (a / (us * us) + b));
            // log f(k) - log f(m) = [lnk!(m) - lnk!(k)] + [lnk!(n - m) - lnk!(n - k)] + (k - m) log(p/q)
            double bound = LogFactorialDiff(k, m) + LogFactorialDiff(n - k, n - m) + (k - m) * lpq;
            if (lv <= bound)
            {
                return k;
            }
        }
    }

    /// <summary>ln(b!) - ln(a!) without cancellation when a and b are large and close.</summary>
    internal static double LogFactorialDiff(long a, long b)
    {
        if (a == b)
        {
            return 0.0;
        }

        if (a < TableSize || b < TableSize)
        {
            return LogFactorial(b) - LogFactorial(a);
        }

        // ln x! = (x + 1/2) ln(x + 1) - (x + 1) + ln(2 pi)/2 + S(x + 1); with d = b - a:
        // (b + 1/2) ln(b + 1) - (a + 1/2) ln(a + 1) = (a + 1/2) log1p(d / (a + 1)) + d ln(b + 1).
        double d = b - a;
        double ad = a;
        return (ad + 0.5) * SimMath.Log1p(d / (ad + 1.0)) + d * Math.Log(b + 1.0) - d
            + (StirlingTail(b + 1.0) - StirlingTail(ad + 1.0));
    }

    /// <summary>ln(x!) for x &gt;= 0: a table below 256, the Stirling series above (error &lt; 1e-20 there).</summary>
    internal static double LogFactorial(long x)
    {
        if (x < TableSize)
        {
            return LogFactorialTable[x];
        }

        double z = x + 1.0;
        return (x + 0.5) * Math.Log(z) - z + 0.91893853320467274178 + StirlingTail(z);
    }

    /// <summary>ln Γ(z) - [(z - 1/2) ln z - z + ln(2π)/2] = 1/(12z) - 1/(360z³) + 1/(1260z⁵) - 1/(1680z⁷).</summary>
    private static double StirlingTail(double z)
    {
        double r = 1.0 / z;
        double r2 = r * r;
        return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 / 1680)));
    }

    private static double[] BuildLogFactorials()
    {
        var t = new double[TableSize];
        double s = 0.0;
        for (int i = 1; i < TableSize; i++)
        {
            s += Math.Log(i);
            t[i] = s;
        }

        return t;
    }
}

/// <summary>Multinomial counts by conditional binomials, with the tail masses of p precomputed once.</summary>
internal sealed class MultinomialSampler
{
    private readonly double[] _ratio;   // p_i / (p_i + ... + p_{k-1}), clamped to [0, 1]
    private readonly int _last;         // last class with p_i > 0

    public MultinomialSampler(ReadOnlySpan<double> p)
    {
        int k = p.Length;
        _ratio = new double[k];
        double tail = 0.0;
        _last = -1;
        for (int i = k - 1; i >= 0; i--)
        {
            tail += p[i];
            if (_last < 0 && p[i] > 0.0)
            {
                _last = i;
            }

            _ratio[i] = tail > 0.0 ? Math.Min(1.0, p[i] / tail) : 0.0;
        }
    }

    /// <summary>Adds Multinomial(n, p) counts to <paramref name="counts"/>.</summary>
    public void AddCounts(ref Xoshiro256StarStar rng, long n, Span<long> counts)
    {
        if (_last < 0)
        {
            return;
        }

        long remaining = n;
        for (int i = 0; i < _last && remaining > 0; i++)
        {
            long x = Binomial.SampleUnchecked(ref rng, remaining, _ratio[i]);
            counts[i] += x;
            remaining -= x;
        }

        counts[_last] += remaining;
    }
}
