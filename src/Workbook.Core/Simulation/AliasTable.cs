using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Workbook.Core.Simulation;

/// <summary>Walker's alias table, built with Vose's method: draws a class i with probability p_i in O(1), from one
/// 64-bit random number per draw.</summary>
/// <remarks>
/// <para>Layout: two parallel arrays, <c>Thresholds[j]</c> (the probability of keeping column j, scaled to 2^64) and
/// <c>Aliases[j]</c>. A draw takes x = 64 random bits, forms the 128-bit product x * k, uses its high word as the
/// column j (uniform on 0..k-1) and its low word as a fresh uniform; it returns j when low &lt; Thresholds[j],
/// else Aliases[j]. The column is exact to k / 2^64 and the uniform has at least 64 - log2(k) bits, so the drawn
/// probabilities match p to about 1e-16 relative, the resolution of p itself.</para>
/// <para>Classes with p_i = 0 are never drawn. The input is normalized by its sum before the table is built.</para>
/// </remarks>
public sealed class AliasTable
{
    private readonly ulong[] _thresholds;
    private readonly int[] _aliases;

    /// <summary>Builds the table for <paramref name="p"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="p"/> is not a probability vector
    /// (see <see cref="Validate.Distribution"/>).</exception>
    public AliasTable(ReadOnlySpan<double> p)
    {
        Validate.Distribution(p, nameof(p));
        (_thresholds, _aliases) = Build(p);
    }

    /// <summary>Number of classes k.</summary>
    public int Count => _thresholds.Length;

    /// <summary>Thresholds[j] / 2^64 is the probability that column j keeps its own class.</summary>
    internal ReadOnlySpan<ulong> Thresholds => _thresholds;

    /// <summary>Aliases[j] is the class column j yields when it does not keep its own.</summary>
    public ReadOnlySpan<int> Aliases => _aliases;

    /// <summary>The probability of each class implied by the table: (keep_i + sum over j with alias i of
    /// (1 - keep_j)) / k. Equals p up to rounding.</summary>
    public double[] ImpliedProbabilities()
    {
        int k = Count;
        var r = new double[k];
        for (int j = 0; j < k; j++)
        {
            double keep = _thresholds[j] == ulong.MaxValue ? 1.0 : _thresholds[j] / 18446744073709551616.0;
            r[j] += keep / k;
            r[_aliases[j]] += (1.0 - keep) / k;
        }

        return r;
    }

    /// <summary>One draw: a class index in 0..k-1 with probability p_i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Sample(ref Xoshiro256StarStar rng)
    {
        ulong hi = Math.BigMul(rng.NextUInt64(), (ulong)_thresholds.Length, out ulong lo);
        int j = (int)hi;
        return lo < _thresholds[j] ? j : _aliases[j];
    }

    /// <summary>Draws <c>destination.Length</c> classes into <paramref name="destination"/>.</summary>
    public void Sample(ref Xoshiro256StarStar rng, Span<int> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Sample(ref rng);
        }
    }

    /// <summary>Draws <paramref name="draws"/> classes and adds 1 to <c>counts[i]</c> for each draw of class i,
    /// without storing the draws: O(1) memory whatever the number of draws.</summary>
    /// <exception cref="ArgumentException"><paramref name="draws"/> is negative, or <paramref name="counts"/> is
    /// shorter than k.</exception>
    public void AddCounts(ref Xoshiro256StarStar rng, long draws, Span<long> counts)
    {
        if (draws < 0)
        {
            throw new ArgumentException($"draws is {draws}, expected >= 0", nameof(draws));
        }

        if (counts.Length < Count)
        {
            throw new ArgumentException($"counts has length {counts.Length}, expected at least {Count}", nameof(counts));
        }

        AddCountsUnchecked(ref rng, draws, counts);
    }

    /// <summary>The hot loop: the generator state lives in locals, the table is read through refs, the keep-or-alias
    /// choice is branch-free, and long runs spread their increments over four interleaved counters per class so that
    /// repeated draws of one class do not serialize on a single memory location.</summary>
    internal void AddCountsUnchecked(ref Xoshiro256StarStar rng, long draws, Span<long> counts)
    {
        int k = _thresholds.Length;
        if (draws < 4096)
        {
            AddCountsSimple(ref rng, draws, counts);
            return;
        }

        long[] lanes = System.Buffers.ArrayPool<long>.Shared.Rent(4 * k);
        Array.Clear(lanes, 0, 4 * k);
        ulong s0 = rng.S0, s1 = rng.S1, s2 = rng.S2, s3 = rng.S3;
        ref ulong thr = ref MemoryMarshal.GetArrayDataReference(_thresholds);
        ref int ali = ref MemoryMarshal.GetArrayDataReference(_aliases);
        ref long c = ref MemoryMarshal.GetArrayDataReference(lanes);
        ulong uk = (ulong)k;
        long quads = draws >> 2;
        for (long n = 0; n < quads; n++)
        {
            Unsafe.Add(ref c, Draw(ref s0, ref s1, ref s2, ref s3, uk, ref thr, ref ali) * 4)++;
            Unsafe.Add(ref c, Draw(ref s0, ref s1, ref s2, ref s3, uk, ref thr, ref ali) * 4 + 1)++;
            Unsafe.Add(ref c, Draw(ref s0, ref s1, ref s2, ref s3, uk, ref thr, ref ali) * 4 + 2)++;
            Unsafe.Add(ref c, Draw(ref s0, ref s1, ref s2, ref s3, uk, ref thr, ref ali) * 4 + 3)++;
        }

        for (long n = quads << 2; n < draws; n++)
        {
            Unsafe.Add(ref c, Draw(ref s0, ref s1, ref s2, ref s3, uk, ref thr, ref ali) * 4)++;
        }

        rng.S0 = s0;
        rng.S1 = s1;
        rng.S2 = s2;
        rng.S3 = s3;
        for (int i = 0; i < k; i++)
        {
            counts[i] += lanes[4 * i] + lanes[4 * i + 1] + lanes[4 * i + 2] + lanes[4 * i + 3];
        }

        System.Buffers.ArrayPool<long>.Shared.Return(lanes);
    }

    private void AddCountsSimple(ref Xoshiro256StarStar rng, long draws, Span<long> counts)
    {
        ulong s0 = rng.S0, s1 = rng.S1, s2 = rng.S2, s3 = rng.S3;
        ref ulong thr = ref MemoryMarshal.GetArrayDataReference(_thresholds);
        ref int ali = ref MemoryMarshal.GetArrayDataReference(_aliases);
        ref long c = ref MemoryMarshal.GetReference(counts);
        ulong uk = (ulong)_thresholds.Length;
        for (long n = 0; n < draws; n++)
        {
            Unsafe.Add(ref c, Draw(ref s0, ref s1, ref s2, ref s3, uk, ref thr, ref ali))++;
        }

        rng.S0 = s0;
        rng.S1 = s1;
        rng.S2 = s2;
        rng.S3 = s3;
    }

    /// <summary>One xoshiro256** step on local state and one alias lookup, without branches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Draw(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3, ulong k, ref ulong thr, ref int ali)
    {
        ulong x = System.Numerics.BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = System.Numerics.BitOperations.RotateLeft(s3, 45);
        ulong hi = Math.BigMul(x, k, out ulong lo);
        nint j = (nint)hi;
        bool keep = lo < Unsafe.Add(ref thr, j);
        nint mask = (nint)Unsafe.As<bool, byte>(ref keep) - 1;   // 0 to keep j, -1 to take the alias
        return j ^ ((j ^ Unsafe.Add(ref ali, j)) & mask);
    }

    /// <summary>Vose's construction on p / sum(p). Columns left over at the end (rounding) keep their class.</summary>
    private static (ulong[] Thresholds, int[] Aliases) Build(ReadOnlySpan<double> p)
    {
        int k = p.Length;
        double sum = 0.0;
        foreach (double v in p)
        {
            sum += v;
        }

        var scaled = new double[k];
        var small = new int[k];
        var large = new int[k];
        int ns = 0, nl = 0;
        for (int i = 0; i < k; i++)
        {
            scaled[i] = p[i] / sum * k;
            if (scaled[i] < 1.0)
            {
                small[ns++] = i;
            }
            else
            {
                large[nl++] = i;
            }
        }

        var thresholds = new ulong[k];
        var aliases = new int[k];
        while (ns > 0 && nl > 0)
        {
            int s = small[--ns];
            int l = large[nl - 1];
            thresholds[s] = ToThreshold(scaled[s]);
            aliases[s] = l;
            scaled[l] = (scaled[l] + scaled[s]) - 1.0;
            if (scaled[l] < 1.0)
            {
                nl--;
                small[ns++] = l;
            }
        }

        while (nl > 0)
        {
            int l = large[--nl];
            thresholds[l] = ulong.MaxValue;
            aliases[l] = l;
        }

        while (ns > 0)
        {
            int s = small[--ns];
            thresholds[s] = ulong.MaxValue;
            aliases[s] = s;
        }

        return (thresholds, aliases);
    }

    private static ulong ToThreshold(double keep)
    {
        if (keep <= 0.0)
        {
            return 0;
        }

        double t = keep * 18446744073709551616.0;
        return t >= 18446744073709551615.0 ? ulong.MaxValue : (ulong)t;
    }
}
