namespace Workbook.Core.Coding;

/// <summary>A probability model of a sequence of symbols 0..K-1: before each symbol it gives the distribution
/// of the next one, q(· | everything before). Its surprisal of a sequence, -log2 prod_i q(x_i | x_1..x_{i-1}), is
/// the length an arithmetic coder driven by the model reaches within 2 bits.</summary>
public interface ISequenceModel
{
    /// <summary>Number of symbols K.</summary>
    int SymbolCount { get; }

    /// <summary>Writes q(· | preceding) into <paramref name="destination"/> (K entries summing to 1).</summary>
    /// <param name="preceding">The symbols before the next one, oldest first (empty at the start).</param>
    /// <param name="destination">K probabilities.</param>
    void Predict(ReadOnlySpan<int> preceding, Span<double> destination);
}

/// <summary>The same distribution q before every symbol (draws assumed independent).</summary>
public sealed class StaticModel : ISequenceModel
{
    private readonly double[] _q;

    /// <summary>A model that predicts <paramref name="q"/> every time.</summary>
    /// <exception cref="ArgumentException">q is not a distribution.</exception>
    public StaticModel(ReadOnlySpan<double> q, double tolerance = Validate.DefaultSumTolerance)
    {
        Validate.Distribution(q, nameof(q), tolerance);
        _q = q.ToArray();
    }

    /// <inheritdoc/>
    public int SymbolCount => _q.Length;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<int> preceding, Span<double> destination) => _q.CopyTo(destination);
}
