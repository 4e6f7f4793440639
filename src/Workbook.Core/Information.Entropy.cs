namespace Workbook.Core;

/// <summary>Information measures of discrete distributions: entropy, cross-entropy, KL divergence.</summary>
public static partial class Information
{
    /// <summary>Shannon entropy H(p) = -sum_i p_i log p_i, in <paramref name="unit"/> (nats by default).</summary>
    /// <param name="p">A probability vector (entries in [0, 1] summing to 1 ± <paramref name="tolerance"/>).</param>
    /// <param name="unit">Nats (ln), bits (log2) or hartleys (log10).</param>
    /// <param name="tolerance">Allowed |sum(p) - 1|; see <see cref="Validate.DefaultSumTolerance"/>.</param>
    /// <remarks>0 log 0 = 0, so outcomes of probability 0 contribute nothing: a certain outcome has H = 0
    /// and a uniform distribution over n outcomes has H = log n, the largest possible value.</remarks>
    /// <exception cref="ArgumentException">p is empty, has a NaN or negative entry, or does not sum to 1.</exception>
    public static double Entropy(ReadOnlySpan<double> p, InformationUnit unit = InformationUnit.Nats,
        double tolerance = Validate.DefaultSumTolerance)
    {
        Validate.Distribution(p, nameof(p), tolerance);
        return EntropyUnchecked(p) / unit.LnBase();
    }

    /// <summary>Shannon entropy in an arbitrary logarithm base: -sum_i p_i log_b p_i.</summary>
    /// <exception cref="ArgumentException">p is not a distribution, or the base is not finite, positive and ≠ 1.</exception>
    public static double Entropy(ReadOnlySpan<double> p, double logBase,
        double tolerance = Validate.DefaultSumTolerance)
    {
        double lnBase = InformationUnits.LnOfBase(logBase, nameof(logBase));
        Validate.Distribution(p, nameof(p), tolerance);
        return EntropyUnchecked(p) / lnBase;
    }

    /// <summary>Entropy in nats of an already validated vector.</summary>
    internal static double EntropyUnchecked(ReadOnlySpan<double> p)
    {
        double h = 0.0;
        foreach (double pi in p)
        {
            if (pi > 0.0)
            {
                h -= pi * Math.Log(pi);
            }
        }

        return h;
    }
}
