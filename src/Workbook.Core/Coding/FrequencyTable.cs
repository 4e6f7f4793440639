namespace Workbook.Core.Coding;

/// <summary>Integer symbol frequencies f_0..f_{K-1} with their running sums, the model an arithmetic coder
/// works with: symbol s owns the interval [C_s, C_s + f_s) of [0, T), T = sum_s f_s, so its coded probability is
/// q̂_s = f_s / T.</summary>
/// <remarks>T is at most <see cref="MaxTotal"/> = 2^30, so that every symbol with f_s &gt;= 1 keeps a nonempty
/// interval inside the coder's 32-bit range (which never shrinks below 2^30 + 2). A symbol with f_s = 0 cannot be
/// coded.</remarks>
public sealed class FrequencyTable
{
    /// <summary>The largest total T the coder accepts: 2^30.</summary>
    public const uint MaxTotal = 1u << 30;

    /// <summary>The most symbols a table may have: 2^24.</summary>
    public const int MaxSymbols = 1 << 24;

    private readonly uint[] _cumulative;

    private FrequencyTable(int symbolCount) => _cumulative = new uint[symbolCount + 1];

    /// <summary>Number of symbols K.</summary>
    public int SymbolCount => _cumulative.Length - 1;

    /// <summary>T = sum_s f_s.</summary>
    public uint Total => _cumulative[^1];

    /// <summary>f_s.</summary>
    public uint Frequency(int symbol) => _cumulative[symbol + 1] - _cumulative[symbol];

    /// <summary>C_s = f_0 + ... + f_{s-1}.</summary>
    public uint Cumulative(int symbol) => _cumulative[symbol];

    /// <summary>The coded probability q̂_s = f_s / T.</summary>
    public double Probability(int symbol) => (double)Frequency(symbol) / Total;

    /// <summary>Frequencies given as counts (an adaptive model's tallies, or hand-made tables).</summary>
    /// <exception cref="ArgumentException">No counts, all counts 0, or a total above <see cref="MaxTotal"/>.</exception>
    public static FrequencyTable FromCounts(ReadOnlySpan<uint> counts)
    {
        Validate.NotEmpty(counts.Length, nameof(counts));
        var table = new FrequencyTable(counts.Length);
        ulong sum = 0;
        for (int s = 0; s < counts.Length; s++)
        {
            sum += counts[s];
            if (sum > MaxTotal)
            {
                throw new ArgumentException($"counts sum to more than {MaxTotal} (2^30), the coder's limit", nameof(counts));
            }

            table._cumulative[s + 1] = (uint)sum;
        }

        if (sum == 0)
        {
            throw new ArgumentException("counts are all 0, expected at least one positive count", nameof(counts));
        }

        return table;
    }

    /// <summary>Quantises a probability vector q to frequencies with total at most 2^30:
    /// f_s = max(1, round(q_s S / sum(q))) for q_s &gt; 0 and f_s = 0 for q_s = 0, where S is the largest power of
    /// two with S + 2m + 64 &lt;= 2^30 (m = number of positive q_s; S = 2^29 for small alphabets). Every symbol of
    /// positive probability gets f_s &gt;= 1, and a dyadic q (entries multiples of 1/S) is represented exactly.
    /// Otherwise the coded probability q̂_s = f_s / T is within about 1/(2 q_s S) + m/(2S) of q_s relatively, so
    /// coding with q̂ instead of q changes the code length by at most about 1.5e-9 (1/q_s + m) bits per
    /// symbol: nothing for ordinary q, a few thousandths of a bit per symbol for q_s near 1e-7.</summary>
    /// <exception cref="ArgumentException">q is not a distribution, or has more than 2^24 entries.</exception>
    public static FrequencyTable FromProbabilities(ReadOnlySpan<double> q, double tolerance = Validate.DefaultSumTolerance)
    {
        Validate.Distribution(q, nameof(q), tolerance);
        CheckSymbolCount(q.Length, nameof(q));
        var table = new FrequencyTable(q.Length);
        if (!table.TrySetProbabilities(q, tolerance))
        {
            throw new InvalidOperationException("q was validated as a distribution"); // unreachable
        }

        return table;
    }

    /// <summary>A table of K symbols, each with frequency 1 (the start of an adaptive model).</summary>
    /// <exception cref="ArgumentException">symbolCount is not in [1, 2^24].</exception>
    public static FrequencyTable Uniform(int symbolCount)
    {
        if (symbolCount < 1)
        {
            throw new ArgumentException($"symbolCount is {symbolCount}, expected at least 1", nameof(symbolCount));
        }

        CheckSymbolCount(symbolCount, nameof(symbolCount));

        var table = new FrequencyTable(symbolCount);
        for (int s = 0; s < symbolCount; s++)
        {
            table._cumulative[s + 1] = (uint)(s + 1);
        }

        return table;
    }

    /// <summary>Sets the frequencies from q as <see cref="FromProbabilities"/> does, checking in the same pass
    /// that q is a distribution (entries in [0, 1], sum within <paramref name="tolerance"/> of 1) of K entries.
    /// Returns false, leaving the table unchanged, when it is not.</summary>
    internal bool TrySetProbabilities(ReadOnlySpan<double> q, double tolerance)
    {
        if (q.Length != SymbolCount)
        {
            return false;
        }

        int positive = 0;
        double mass = 0.0;
        foreach (double v in q)
        {
            if (!(v >= 0.0 && v <= 1.0))
            {
                return false;
            }

            if (v > 0.0)
            {
                positive++;
                mass += v;
            }
        }

        if (!(Math.Abs(mass - 1.0) <= tolerance))
        {
            return false;
        }

        // q is normalised by its sum (within tolerance of 1), and scaled by the largest power of two S with
        // S sum(q) + 2m + 64 <= 2^30: rounding adds at most 1/2 per symbol and the floor of 1 at most 1 more, so the
        // total never exceeds 2^30; and a q whose entries are multiples of 1/S (any dyadic q with denominators
        // up to S) is represented exactly.
        double room = (MaxTotal - 2.0 * positive - 64.0) / mass;
        double scale = Math.ScaleB(1.0, (int)Math.Floor(Math.Log2(room)));
        uint sum = 0;
        for (int s = 0; s < q.Length; s++)
        {
            if (q[s] > 0.0)
            {
                sum += Math.Max(1u, (uint)Math.Round(q[s] * scale));
            }

            _cumulative[s + 1] = sum;
        }

        return true;
    }

    /// <summary>Adds <paramref name="by"/> to f_symbol (an adaptive model's update). When T would exceed
    /// 2^30, every frequency is first halved, rounding up so none that was positive becomes 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">symbol is not in [0, K), or by is 0 or above 2^20.</exception>
    public void Increment(int symbol, uint by = 1)
    {
        if ((uint)symbol >= (uint)SymbolCount)
        {
            throw new ArgumentOutOfRangeException(nameof(symbol), symbol, $"expected a symbol in [0, {SymbolCount})");
        }

        if (by == 0 || by > 1u << 20)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "expected an increment in 1..2^20");
        }

        if ((ulong)Total + by > MaxTotal)
        {
            uint sum = 0;
            uint previous = 0;
            for (int s = 0; s < SymbolCount; s++)
            {
                uint f = _cumulative[s + 1] - previous;
                previous = _cumulative[s + 1];
                sum += (f + 1) / 2;
                _cumulative[s + 1] = sum;
            }
        }

        for (int s = symbol + 1; s < _cumulative.Length; s++)
        {
            _cumulative[s] += by;
        }
    }

    internal static void CheckSymbolCount(int symbolCount, string paramName)
    {
        if (symbolCount > MaxSymbols)
        {
            throw new ArgumentException(
                $"{paramName} has {symbolCount} symbols, more than the {MaxSymbols} (2^24) a frequency table holds",
                paramName);
        }
    }

    /// <summary>The symbol whose interval holds <paramref name="target"/> in [0, T): C_s &lt;= target &lt; C_{s+1}.</summary>
    internal int Find(uint target)
    {
        int lo = 0, hi = SymbolCount - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (_cumulative[mid] <= target)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }
}
