namespace Workbook.Core;

public static partial class Information
{
    /// <summary>Perplexity of p, exp(H(p)) = prod_i p_i^(-p_i): the number of equally likely outcomes that would
    /// be as uncertain as p. It does not depend on the unit (2^H in bits is the same number).</summary>
    /// <param name="p">A probability vector.</param>
    /// <param name="tolerance">Allowed |sum(p) - 1|.</param>
    /// <remarks>1 for a certain outcome, n for a uniform distribution over n outcomes; 0 log 0 = 0.</remarks>
    /// <exception cref="ArgumentException">p is not a distribution.</exception>
    public static double Perplexity(ReadOnlySpan<double> p, double tolerance = Validate.DefaultSumTolerance)
    {
        Validate.Distribution(p, nameof(p), tolerance);
        return Math.Exp(EntropyUnchecked(p));
    }

    /// <summary>Perplexity of model q on data from p, exp(H(p, q)): the effective number of choices the model
    /// hesitates between per outcome. This is the "perplexity" of a language model (exp of its mean loss).</summary>
    /// <param name="p">The true distribution.</param>
    /// <param name="q">The model distribution.</param>
    /// <param name="tolerance">Allowed |sum - 1| for p and for q.</param>
    /// <remarks>+inf when q_i = 0 for some p_i &gt; 0. At least <see cref="Perplexity(ReadOnlySpan{double}, double)"/>
    /// of p, with equality only at q = p.</remarks>
    /// <exception cref="ArgumentException">p or q is not a distribution, or the lengths differ.</exception>
    public static double Perplexity(ReadOnlySpan<double> p, ReadOnlySpan<double> q,
        double tolerance = Validate.DefaultSumTolerance)
    {
        ValidatePair(p, q, tolerance);
        return Math.Exp(CrossEntropyUnchecked(p, q));
    }

    /// <summary>Perplexity from an entropy or cross-entropy already computed in <paramref name="unit"/>:
    /// base^h (e^h for nats, 2^h for bits, 10^h for hartleys).</summary>
    /// <param name="h">An entropy or mean loss, &gt;= 0 (may be +inf).</param>
    /// <param name="unit">The unit h is in.</param>
    /// <remarks>+inf maps to +inf.</remarks>
    /// <exception cref="ArgumentException">h is NaN or negative.</exception>
    public static double PerplexityFromEntropy(double h, InformationUnit unit = InformationUnit.Nats)
    {
        if (!(h >= 0.0))
        {
            throw new ArgumentException($"h is {Validate.Format(h)}, expected an entropy >= 0", nameof(h));
        }

        return Math.Exp(h * unit.LnBase());
    }
}
