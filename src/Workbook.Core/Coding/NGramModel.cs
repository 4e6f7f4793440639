namespace Workbook.Core.Coding;

/// <summary>A character n-gram model of order k (k = 0, 1, 2): the next symbol's probability given the k before
/// it, estimated from training counts with add-delta smoothing,
/// q(s | c) = (n(c, s) + δ) / (n(c) + δ K), where n(c, s) counts s after the context c in the training sequence
/// and n(c) = sum_s n(c, s).</summary>
/// <remarks>Training counts only the positions that have a full context of k symbols, so the first k symbols of a
/// scored sequence (whose context is incomplete) are predicted uniformly, 1/K each: at most k log2 K bits in all.
/// With δ = 0 the model is the unsmoothed maximum-likelihood estimate: a symbol never seen after its context gets
/// probability 0 and an infinite code length; a context never seen at all predicts the uniform distribution 1/K
/// (the limit of the smoothed estimate, which gives any unseen context 1/K too).</remarks>
public sealed class NGramModel : ISequenceModel
{
    /// <summary>The largest order supported.</summary>
    public const int MaxOrder = 2;

    private readonly int _k;
    private readonly int[] _counts;       // [context * K + symbol]
    private readonly long[] _contextTotals;

    private NGramModel(int order, int symbolCount, double delta, int[] counts, long[] totals)
    {
        Order = order;
        _k = symbolCount;
        Delta = delta;
        _counts = counts;
        _contextTotals = totals;
    }

    /// <summary>The order k (symbols of context).</summary>
    public int Order { get; }

    /// <summary>The smoothing constant δ.</summary>
    public double Delta { get; }

    /// <inheritdoc/>
    public int SymbolCount => _k;

    /// <summary>Number of contexts seen at least once in training.</summary>
    public int SeenContexts => _contextTotals.Count(t => t > 0);

    /// <summary>Counts the (context, symbol) pairs of <paramref name="training"/>.</summary>
    /// <param name="training">The training sequence, symbols in [0, symbolCount).</param>
    /// <param name="symbolCount">Alphabet size K, at most 4096.</param>
    /// <param name="order">0, 1 or 2.</param>
    /// <param name="delta">Smoothing constant δ &gt;= 0, finite.</param>
    /// <exception cref="ArgumentException">An argument is out of range, or a training symbol is.</exception>
    public static NGramModel Train(ReadOnlySpan<int> training, int symbolCount, int order, double delta)
    {
        if (symbolCount < 1 || symbolCount > 4096)
        {
            throw new ArgumentException($"symbolCount is {symbolCount}, expected 1..4096", nameof(symbolCount));
        }

        if ((uint)order > MaxOrder)
        {
            throw new ArgumentException($"order is {order}, expected 0, 1 or 2", nameof(order));
        }

        if (!(delta >= 0.0 && delta < double.PositiveInfinity))
        {
            throw new ArgumentException($"delta is {Validate.Format(delta)}, expected a finite number >= 0", nameof(delta));
        }

        int contexts = ContextCount(symbolCount, order);
        var counts = new int[(long)contexts * symbolCount > int.MaxValue
            ? throw new ArgumentException("symbolCount is too large for this order", nameof(symbolCount))
            : contexts * symbolCount];
        var totals = new long[contexts];
        for (int i = 0; i < training.Length; i++)
        {
            int s = training[i];
            if ((uint)s >= (uint)symbolCount)
            {
                throw new ArgumentException($"training[{i}] is {s}, expected a symbol in [0, {symbolCount})", nameof(training));
            }

            if (i < order)
            {
                continue; // no full context yet
            }

            int c = Context(training[..i], symbolCount, order);
            counts[c * symbolCount + s]++;
            totals[c]++;
        }

        return new NGramModel(order, symbolCount, delta, counts, totals);
    }

    /// <summary>The same counts with another smoothing constant (no retraining).</summary>
    /// <exception cref="ArgumentException">delta is negative, NaN or infinite.</exception>
    public NGramModel WithDelta(double delta)
    {
        if (!(delta >= 0.0 && delta < double.PositiveInfinity))
        {
            throw new ArgumentException($"delta is {Validate.Format(delta)}, expected a finite number >= 0", nameof(delta));
        }

        return new NGramModel(Order, _k, delta, _counts, _contextTotals);
    }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<int> preceding, Span<double> destination)
    {
        Validate.SameLength(_k, destination.Length, nameof(destination), "the alphabet");
        int c = Context(preceding, _k, Order);
        long total = _contextTotals[c];
        if (total == 0)
        {
            destination.Fill(1.0 / _k);
            return;
        }

        double inverse = 1.0 / (total + Delta * _k);
        ReadOnlySpan<int> row = _counts.AsSpan(c * _k, _k);
        for (int s = 0; s < row.Length; s++)
        {
            destination[s] = (row[s] + Delta) * inverse;
        }
    }

    /// <summary>q(symbol | the context ending <paramref name="preceding"/>).</summary>
    public double Probability(ReadOnlySpan<int> preceding, int symbol)
    {
        if ((uint)symbol >= (uint)_k)
        {
            throw new ArgumentOutOfRangeException(nameof(symbol), symbol, $"expected a symbol in [0, {_k})");
        }

        int c = Context(preceding, _k, Order);
        long total = _contextTotals[c];
        return total == 0 ? 1.0 / _k : (_counts[c * _k + symbol] + Delta) / (total + Delta * _k);
    }

    /// <summary>Cross-entropy of the model on <paramref name="symbols"/> in bits per symbol:
    /// -(1/n) sum_i log2 q(x_i | x_{i-k}..x_{i-1}), the sequence scored from its start (its first k symbols,
    /// without a full context, cost log2 K each).</summary>
    /// <returns>+inf when an occurring symbol has probability 0 (possible only with δ = 0).</returns>
    /// <exception cref="ArgumentException">The sequence is empty or has a symbol out of range.</exception>
    public double CrossEntropyBits(ReadOnlySpan<int> symbols)
    {
        Validate.NotEmpty(symbols.Length, nameof(symbols));
        double bits = 0.0;
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            if ((uint)s >= (uint)_k)
            {
                throw new ArgumentException($"symbols[{i}] is {s}, expected a symbol in [0, {_k})", nameof(symbols));
            }

            bits -= Math.Log2(Probability(symbols[..i], s));
        }

        return bits / symbols.Length;
    }

    /// <summary>Perplexity 2^H of the model on <paramref name="symbols"/>, H = <see cref="CrossEntropyBits"/>:
    /// the number of equally likely symbols that would be as surprising.</summary>
    /// <returns>+inf when the cross-entropy is infinite.</returns>
    public double Perplexity(ReadOnlySpan<int> symbols) => Math.Pow(2.0, CrossEntropyBits(symbols));

    /// <summary>The index of the first symbol of <paramref name="symbols"/> that the model gives probability 0
    /// (a pair of context and symbol never seen in training, with δ = 0), or -1 when there is none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A symbol is out of range.</exception>
    public int FirstImpossible(ReadOnlySpan<int> symbols)
    {
        for (int i = 0; i < symbols.Length; i++)
        {
            if (Probability(symbols[..i], symbols[i]) == 0.0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The training counts as a joint distribution over (previous symbol, symbol) pairs, row-major
    /// K × K, for order 1: the n - 1 pairs of adjacent symbols, each counted once.</summary>
    /// <exception cref="InvalidOperationException">The order is not 1.</exception>
    public double[] PairDistribution()
    {
        if (Order != 1)
        {
            throw new InvalidOperationException($"the pair distribution needs an order-1 model; this one has order {Order}");
        }

        var joint = new double[_k * _k];
        long sum = 0;
        for (int prev = 0; prev < _k; prev++)
        {
            int c = prev + 1;
            for (int s = 0; s < _k; s++)
            {
                joint[prev * _k + s] = _counts[c * _k + s];
                sum += _counts[c * _k + s];
            }
        }

        for (int i = 0; i < joint.Length; i++)
        {
            joint[i] /= sum;
        }

        return joint;
    }

    // Context index: the k preceding symbols, each shifted by 1 so that 0 marks a missing position, in base K + 1.
    private static int ContextCount(int k, int order) => order switch { 0 => 1, 1 => k + 1, _ => (k + 1) * (k + 1) };

    private static int Context(ReadOnlySpan<int> preceding, int k, int order)
    {
        int c = 0;
        for (int j = order; j >= 1; j--)
        {
            int pos = preceding.Length - j;
            c = c * (k + 1) + (pos >= 0 ? preceding[pos] + 1 : 0);
        }

        return c;
    }
}
