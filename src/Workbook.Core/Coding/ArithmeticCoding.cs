namespace Workbook.Core.Coding;

/// <summary>Whole-sequence arithmetic coding with a static model q, an adaptive count model, or any
/// <see cref="ISequenceModel"/>; and the ideal code length -log2 P(sequence) each one should reach within 2 bits.</summary>
public static class ArithmeticCoding
{
    /// <summary>Encodes <paramref name="symbols"/> with the static model q (quantised by
    /// <see cref="FrequencyTable.FromProbabilities"/>).</summary>
    /// <exception cref="ArgumentException">q is not a distribution, or a symbol is out of range or has q = 0.</exception>
    public static BitString Encode(ReadOnlySpan<int> symbols, ReadOnlySpan<double> q,
        double tolerance = Validate.DefaultSumTolerance)
    {
        var table = FrequencyTable.FromProbabilities(q, tolerance);
        CheckSymbols(symbols, q);
        var writer = new BitWriter();
        var encoder = new ArithmeticEncoder(writer);
        foreach (int s in symbols)
        {
            encoder.EncodeUnchecked(table.Cumulative(s), table.Cumulative(s + 1), table.Total);
        }

        encoder.Finish();
        return writer.ToBitString();
    }

    /// <summary>Decodes <paramref name="count"/> symbols encoded by <see cref="Encode(ReadOnlySpan{int}, ReadOnlySpan{double}, double)"/>.</summary>
    /// <exception cref="ArgumentException">q is not a distribution, or count is negative.</exception>
    public static int[] Decode(BitString bits, int count, ReadOnlySpan<double> q,
        double tolerance = Validate.DefaultSumTolerance)
    {
        var table = FrequencyTable.FromProbabilities(q, tolerance);
        CheckCount(count);
        var decoder = new ArithmeticDecoder(bits);
        var result = new int[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = decoder.Decode(table);
        }

        return result;
    }

    /// <summary>-log2 P_q(symbols) = -sum_i log2 q_{x_i}, in bits: the ideal code length for the sequence under q.</summary>
    /// <returns>+inf when a symbol has q = 0; 0 for the empty sequence.</returns>
    /// <exception cref="ArgumentException">q is not a distribution, or a symbol is out of range.</exception>
    public static double IdealLength(ReadOnlySpan<int> symbols, ReadOnlySpan<double> q,
        double tolerance = Validate.DefaultSumTolerance)
    {
        Validate.Distribution(q, nameof(q), tolerance);
        double bits = 0.0;
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            CheckRange(s, i, q.Length);
            bits -= Math.Log2(q[s]);
        }

        return bits;
    }

    /// <summary>-log2 P_q̂(symbols) in bits, where q̂ is q as the coder represents it: the integer frequencies of
    /// <see cref="FrequencyTable.FromProbabilities"/>. The arithmetic code is within 2 bits of this length (plus
    /// interval rounding below n × 2^-29 / q̂_min bits); it equals <see cref="IdealLength(ReadOnlySpan{int}, ReadOnlySpan{double}, double)"/>
    /// when q is dyadic.</summary>
    /// <returns>+inf when a symbol has q = 0; 0 for the empty sequence.</returns>
    /// <exception cref="ArgumentException">q is not a distribution, or a symbol is out of range.</exception>
    public static double CodedModelLength(ReadOnlySpan<int> symbols, ReadOnlySpan<double> q,
        double tolerance = Validate.DefaultSumTolerance)
    {
        var table = FrequencyTable.FromProbabilities(q, tolerance);
        var coded = new double[q.Length];
        for (int s = 0; s < coded.Length; s++)
        {
            coded[s] = table.Probability(s);
        }

        double bits = 0.0;
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            CheckRange(s, i, q.Length);
            bits -= Math.Log2(coded[s]);
        }

        return bits;
    }

    /// <summary>An upper bound, in bits, on what the integer interval widths of the 32-bit coder can add to (or take
    /// from) <see cref="CodedModelLength(ReadOnlySpan{int}, ReadOnlySpan{double}, double)"/> over the sequence:
    /// sum_i -log2(1 - T / ((2^30 + 2) f(x_i))), where f are the quantised frequencies and T their total. Each symbol's
    /// interval is the exact share f/T of the range minus less than one unit, and the range is always above
    /// 2^30 + 1. The code length lies within 2 bits plus this bound of the coded model's surprisal.</summary>
    /// <remarks>About 0.7 / f(x_i) bits per symbol: a few millionths of a bit for ordinary q (f near q × 2^29),
    /// up to 1 bit for a symbol of probability below about 2^-29 (f = 1).</remarks>
    /// <exception cref="ArgumentException">q is not a distribution, or a symbol is out of range or has q = 0.</exception>
    public static double RoundingBound(ReadOnlySpan<int> symbols, ReadOnlySpan<double> q,
        double tolerance = Validate.DefaultSumTolerance)
    {
        var table = FrequencyTable.FromProbabilities(q, tolerance);
        CheckSymbols(symbols, q);
        double minRange = ArithmeticEncoder.Quarter + 2.0;
        double bits = 0.0;
        foreach (int s in symbols)
        {
            bits -= Math.Log2(1.0 - table.Total / (minRange * table.Frequency(s)));
        }

        return bits;
    }

    /// <summary>-log2 prod_i q̂(x_i | x_1..x_{i-1}) in bits, with each prediction of <paramref name="model"/>
    /// quantised as the coder does (<see cref="FrequencyTable.FromProbabilities"/>): the length
    /// <see cref="Encode(ReadOnlySpan{int}, ISequenceModel)"/> reaches within 2 bits.</summary>
    /// <returns>+inf when the model gives an occurring symbol probability 0; 0 for the empty sequence.</returns>
    /// <exception cref="ArgumentException">A symbol is out of range, or the model predicts something that is not a distribution.</exception>
    public static double CodedModelLength(ReadOnlySpan<int> symbols, ISequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int k = model.SymbolCount;
        FrequencyTable.CheckSymbolCount(k, nameof(model));
        var table = FrequencyTable.Uniform(k);
        var q = new double[k];
        double bits = 0.0;
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            CheckRange(s, i, k);
            Predict(model, symbols[..i], q, table);
            if (q[s] == 0.0)
            {
                return double.PositiveInfinity;
            }

            bits -= Math.Log2(table.Probability(s));
        }

        return bits;
    }

    /// <summary>Encodes <paramref name="symbols"/> with adaptive counts: symbol s is coded with probability
    /// (c_s + 1) / (i + K), where c_s counts its earlier occurrences among the i symbols before (Laplace's rule),
    /// so no model needs to be sent. The decoder rebuilds the same counts.</summary>
    /// <exception cref="ArgumentException">symbolCount is not in [1, 2^24], or a symbol is out of range.</exception>
    public static BitString EncodeAdaptive(ReadOnlySpan<int> symbols, int symbolCount)
    {
        var table = FrequencyTable.Uniform(symbolCount);
        for (int i = 0; i < symbols.Length; i++)
        {
            CheckRange(symbols[i], i, symbolCount);
        }

        var writer = new BitWriter();
        var encoder = new ArithmeticEncoder(writer);
        foreach (int s in symbols)
        {
            encoder.EncodeUnchecked(table.Cumulative(s), table.Cumulative(s + 1), table.Total);
            table.Increment(s);
        }

        encoder.Finish();
        return writer.ToBitString();
    }

    /// <summary>Decodes <paramref name="count"/> symbols encoded by <see cref="EncodeAdaptive"/>.</summary>
    /// <exception cref="ArgumentException">symbolCount is not in [1, 2^24], or count is negative.</exception>
    public static int[] DecodeAdaptive(BitString bits, int count, int symbolCount)
    {
        var table = FrequencyTable.Uniform(symbolCount);
        CheckCount(count);
        var decoder = new ArithmeticDecoder(bits);
        var result = new int[count];
        for (int i = 0; i < count; i++)
        {
            int s = decoder.Decode(table);
            table.Increment(s);
            result[i] = s;
        }

        return result;
    }

    /// <summary>The ideal length of the adaptive code: -sum_i log2 ((c_{x_i} + 1) / (i + K)) bits, with the
    /// counts as in <see cref="EncodeAdaptive"/> (exact while the total count stays below 2^30).</summary>
    /// <exception cref="ArgumentException">symbolCount is below 1, or a symbol is out of range.</exception>
    public static double IdealLengthAdaptive(ReadOnlySpan<int> symbols, int symbolCount)
    {
        if (symbolCount < 1)
        {
            throw new ArgumentException($"symbolCount is {symbolCount}, expected at least 1", nameof(symbolCount));
        }

        var counts = new long[symbolCount];
        double bits = 0.0;
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            CheckRange(s, i, symbolCount);
            bits -= Math.Log2((counts[s] + 1.0) / ((double)i + symbolCount));
            counts[s]++;
        }

        return bits;
    }

    /// <summary>Encodes <paramref name="symbols"/> with a sequence model: before each symbol the model's
    /// prediction is quantised (<see cref="FrequencyTable.FromProbabilities"/>) and the symbol coded with it.</summary>
    /// <exception cref="ArgumentException">A symbol is out of range, the model predicts something that is not a
    /// distribution, or it gives a symbol that occurs probability 0 (an infinite code length).</exception>
    public static BitString Encode(ReadOnlySpan<int> symbols, ISequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int k = model.SymbolCount;
        FrequencyTable.CheckSymbolCount(k, nameof(model));
        var table = FrequencyTable.Uniform(k);
        var q = new double[k];
        var writer = new BitWriter();
        var encoder = new ArithmeticEncoder(writer);
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            CheckRange(s, i, k);
            Predict(model, symbols[..i], q, table);
            if (q[s] == 0.0)
            {
                throw new ArgumentException(
                    $"symbols[{i}] is {s}, which the model gives probability 0: its code length is infinite",
                    nameof(symbols));
            }

            encoder.EncodeUnchecked(table.Cumulative(s), table.Cumulative(s + 1), table.Total);
        }

        encoder.Finish();
        return writer.ToBitString();
    }

    /// <summary>Decodes <paramref name="count"/> symbols encoded by <see cref="Encode(ReadOnlySpan{int}, ISequenceModel)"/>
    /// with the same model.</summary>
    /// <exception cref="ArgumentException">count is negative or the model predicts something that is not a distribution.</exception>
    public static int[] Decode(BitString bits, int count, ISequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckCount(count);
        int k = model.SymbolCount;
        FrequencyTable.CheckSymbolCount(k, nameof(model));
        var table = FrequencyTable.Uniform(k);
        var q = new double[k];
        var decoder = new ArithmeticDecoder(bits);
        var result = new int[count];
        for (int i = 0; i < count; i++)
        {
            Predict(model, result.AsSpan(0, i), q, table);
            result[i] = decoder.Decode(table);
        }

        return result;
    }

    /// <summary>-log2 prod_i q(x_i | x_1..x_{i-1}) in bits under <paramref name="model"/>.</summary>
    /// <returns>+inf when the model gives an occurring symbol probability 0; 0 for the empty sequence.</returns>
    /// <exception cref="ArgumentException">A symbol is out of range, or the model predicts something that is not a distribution.</exception>
    public static double IdealLength(ReadOnlySpan<int> symbols, ISequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var q = new double[model.SymbolCount];
        double bits = 0.0;
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            CheckRange(s, i, q.Length);
            Predict(model, symbols[..i], q);
            bits -= Math.Log2(q[s]);
        }

        return bits;
    }

    private const double PredictionTolerance = 1e-6;

    private static void Predict(ISequenceModel model, ReadOnlySpan<int> preceding, double[] q)
    {
        model.Predict(preceding, q);
        Validate.Distribution(q, "the model's prediction", PredictionTolerance);
    }

    private static void Predict(ISequenceModel model, ReadOnlySpan<int> preceding, double[] q, FrequencyTable table)
    {
        model.Predict(preceding, q);
        if (!table.TrySetProbabilities(q, PredictionTolerance))
        {
            Validate.Distribution(q, "the model's prediction", PredictionTolerance);
        }
    }

    private static void CheckSymbols(ReadOnlySpan<int> symbols, ReadOnlySpan<double> q)
    {
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            CheckRange(s, i, q.Length);
            if (q[s] == 0.0)
            {
                throw new ArgumentException(
                    $"symbols[{i}] is {s}, which q gives probability 0: its code length is infinite", nameof(symbols));
            }
        }
    }

    private static void CheckRange(int s, int i, int k)
    {
        if ((uint)s >= (uint)k)
        {
            throw new ArgumentException($"symbols[{i}] is {s}, expected a symbol in [0, {k})", "symbols");
        }
    }

    private static void CheckCount(int count)
    {
        if (count < 0)
        {
            throw new ArgumentException($"count is {count}, expected a number of symbols >= 0", nameof(count));
        }
    }
}
