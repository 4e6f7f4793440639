namespace Workbook.Core.Simulation;

/// <summary>How a segment between two checkpoints is simulated.</summary>
public enum SegmentMode
{
    /// <summary>Draw one by one for short segments (at most 32 k + 256 draws), jump by multinomial counts for longer
    /// ones. Both have the same distribution; this picks the faster.</summary>
    Auto,

    /// <summary>Always draw one by one from the alias table (O(1) per draw).</summary>
    DrawByDraw,

    /// <summary>Always jump by sampling the segment's count increments (O(k) per segment, whatever its length).</summary>
    CountJump,
}

/// <summary>The thought experiment: draw X_1, ..., X_N i.i.d. from p and watch -(1/n) ln P_p(X_1..X_n) settle on
/// H(p) and -(1/n) ln P_q(X_1..X_n) settle on H(p,q) as n grows, for N from 1 to <see cref="long.MaxValue"/>.</summary>
/// <remarks>
/// <para><b>Exact at any N.</b> Both estimates depend on the draws only through the class counts n_i:
/// -(1/n) ln P_q = -(1/n) Σ n_i ln q_i. The engine therefore keeps the counts, and between checkpoints either draws
/// one by one (alias table, O(1) per draw, no N-length array) or samples the count increments of the whole segment
/// as a multinomial (exact conditional binomials, O(k) per segment). Both give the same joint distribution of the
/// estimates at the checkpoints, so N = 10^12 takes microseconds. The estimate at a checkpoint is Σ n_i (-ln q_i)
/// with the per-class logs precomputed: the draws are fused into counts and the sum costs O(k) per checkpoint,
/// which is also more accurate than a running sum of n terms.</para>
/// <para><b>Reproducible.</b> Runs use <see cref="Xoshiro256StarStar"/> seeded through SplitMix64; run r of
/// <see cref="RunMany(double[], double[], long, long, int, long[], double, double, SegmentMode)"/> uses stream r of
/// <see cref="Xoshiro256StarStar.Streams"/>, so run 0 equals <see cref="Run(double[], double[], long, long, long[], SegmentMode)"/>
/// with the same seed, and results do not depend on thread scheduling.</para>
/// <para><b>Impossible draws.</b> If q_i = 0 for a class with p_i &gt; 0, -(1/n) ln P_q is +∞ from the first draw of
/// such a class on (never NaN). The result reports that draw's index exactly (see
/// <see cref="ExperimentRun.FirstImpossibleDraw"/>); in count jumps it is sampled as a geometric waiting time, and
/// the segment is split around it, so this too is exact. -(1/n) ln P_p stays finite: classes with p_i = 0 are
/// never drawn.</para>
/// <para><b>Checkpoints.</b> When none are given, about ten per decade, log-spaced (see <see cref="LogSpaced"/>).
/// A given list is sorted and de-duplicated; each must be in [1, N]. N is always the last checkpoint.</para>
/// </remarks>
public static class Experiment
{
    /// <summary>The z used for the default theoretical band: the 95% standard normal quantile, so the band
    /// H(p,q) ± z sqrt(Var/n) is the normal approximation of the 5%..95% quantile band.</summary>
    public const double DefaultZ = 1.6448536269514722;

    /// <summary>The default half-width ε (nats) of the band for the fraction of runs within ε of the limit.</summary>
    public const double DefaultEpsilon = 0.05;

    /// <summary>One run of N draws from <paramref name="p"/>, scored by p and by <paramref name="q"/> at each
    /// checkpoint.</summary>
    /// <param name="p">The distribution the draws come from.</param>
    /// <param name="q">The model the draws are scored with.</param>
    /// <param name="n">Number of draws N, 1 ≤ N ≤ long.MaxValue.</param>
    /// <param name="seed">Any 64-bit value (reinterpreted as unsigned); the same seed gives the same result.</param>
    /// <param name="checkpoints">The n at which to report; null for log-spaced (see remarks of <see cref="Experiment"/>).</param>
    /// <param name="mode">How segments are simulated; all modes have the same distribution.</param>
    /// <exception cref="ArgumentException">p or q is not a distribution, their lengths differ, N &lt; 1, or a checkpoint
    /// is outside [1, N], or the checkpoint list is empty.</exception>
    public static ExperimentRun Run(double[] p, double[] q, long n, long seed, long[]? checkpoints = null,
        SegmentMode mode = SegmentMode.Auto)
    {
        long[] cps = Prepare(p, q, n, checkpoints);
        var engine = new ExperimentEngine(p, q, mode);
        var rng = new Xoshiro256StarStar(unchecked((ulong)seed));
        return engine.Run(ref rng, cps, keepCounts: true);
    }

    /// <summary>R independent runs of <see cref="Run"/>, summarized at each checkpoint: mean, 5/50/95% quantiles of
    /// -(1/n) ln P_q, the theoretical band H(p,q) ± z sqrt(Var[-ln q(X)] / n), and the fractions of runs within
    /// <paramref name="epsilon"/> of H(p,q) and of H(p) (the typical set of the AEP).</summary>
    /// <param name="p">The distribution the draws come from.</param>
    /// <param name="q">The model.</param>
    /// <param name="n">Number of draws per run.</param>
    /// <param name="seed">Seed; run r uses stream r derived from it by xoshiro jumps.</param>
    /// <param name="runs">R ≥ 1.</param>
    /// <param name="checkpoints">As in <see cref="Run"/>.</param>
    /// <param name="epsilon">Half-width of the ε-band, &gt; 0 (nats).</param>
    /// <param name="z">Multiplier of the standard error in the theoretical band, &gt; 0.</param>
    /// <param name="mode">How segments are simulated.</param>
    /// <remarks>Runs execute in parallel; each writes only its own row, so the result is the same for a seed on any
    /// number of threads.</remarks>
    /// <exception cref="ArgumentException">As <see cref="Run"/>, or runs &lt; 1, or epsilon or z not finite and &gt; 0.</exception>
    public static ExperimentSummary RunMany(double[] p, double[] q, long n, long seed, int runs,
        long[]? checkpoints = null, double epsilon = DefaultEpsilon, double z = DefaultZ,
        SegmentMode mode = SegmentMode.Auto)
    {
        long[] cps = Prepare(p, q, n, checkpoints);
        if (runs < 1)
        {
            throw new ArgumentException($"runs is {runs}, expected at least 1", nameof(runs));
        }

        if (!(epsilon > 0.0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentException($"epsilon is {Validate.Format(epsilon)}, expected a finite number > 0", nameof(epsilon));
        }

        if (!(z > 0.0 && double.IsFinite(z)))
        {
            throw new ArgumentException($"z is {Validate.Format(z)}, expected a finite number > 0", nameof(z));
        }

        var engine = new ExperimentEngine(p, q, mode);
        var streams = Xoshiro256StarStar.Streams(unchecked((ulong)seed), runs);
        var results = new ExperimentRun[runs];
        Parallel.For(0, runs, r =>
        {
            var rng = streams[r];
            results[r] = engine.Run(ref rng, cps, keepCounts: r == 0);
        });
        return ExperimentSummary.From(results, engine.Theory, cps, epsilon, z);
    }

    /// <summary>About <paramref name="count"/> checkpoints from 1 to <paramref name="n"/>, evenly spaced in log n:
    /// round(n^(j/(count-1))) for j = 0..count-1, de-duplicated, so small n gives fewer.</summary>
    /// <remarks>count null means 10 per decade: ceil(10 log10 n) + 1. The first is 1 and the last is n.</remarks>
    /// <exception cref="ArgumentException">n &lt; 1 or count &lt; 2.</exception>
    public static long[] LogSpaced(long n, int? count = null)
    {
        if (n < 1)
        {
            throw new ArgumentException($"n is {n}, expected a number of draws >= 1", nameof(n));
        }

        int c = count ?? (int)Math.Ceiling(10 * Math.Log10(n)) + 1;
        if (c < 2)
        {
            if (count is null)
            {
                return [n];
            }

            throw new ArgumentException($"count is {c}, expected at least 2", nameof(count));
        }

        var list = new List<long>(c);
        double ln = Math.Log(n);
        for (int j = 0; j < c; j++)
        {
            long v = j == c - 1 ? n : (long)Math.Min(Math.Round(Math.Exp(ln * j / (c - 1))), n);
            v = Math.Max(v, 1);
            if (list.Count == 0 || v > list[^1])
            {
                list.Add(v);
            }
        }

        return list.ToArray();
    }

    /// <summary>Validates the inputs and returns the sorted, de-duplicated checkpoints ending at n.</summary>
    private static long[] Prepare(double[] p, double[] q, long n, long[]? checkpoints)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        Validate.Distribution(p, nameof(p));
        Validate.Distribution(q, nameof(q));
        Validate.SameLength(p.Length, q.Length, nameof(q), nameof(p));
        if (n < 1)
        {
            throw new ArgumentException($"n is {n}, expected a number of draws >= 1", nameof(n));
        }

        if (checkpoints is null)
        {
            return LogSpaced(n);
        }

        if (checkpoints.Length == 0)
        {
            throw new ArgumentException("checkpoints is empty; pass null for log-spaced checkpoints", nameof(checkpoints));
        }

        var set = new SortedSet<long>();
        foreach (long c in checkpoints)
        {
            if (c < 1 || c > n)
            {
                throw new ArgumentException($"checkpoints contains {c}, expected every checkpoint in [1, {n}]",
                    nameof(checkpoints));
            }

            set.Add(c);
        }

        set.Add(n);
        return set.ToArray();
    }
}
