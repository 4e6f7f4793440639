namespace Workbook.Core;

public static partial class Information
{
    /// <summary>Cross-entropy H(p, q) = -sum_i p_i log q_i: the average code length, in <paramref name="unit"/>
    /// (nats by default), of outcomes drawn from p when coded for q. H(p, q) = H(p) + D(p || q) &gt;= H(p).</summary>
    /// <param name="p">The true distribution.</param>
    /// <param name="q">The model distribution, the same length as p.</param>
    /// <param name="unit">Nats (ln), bits (log2) or hartleys (log10).</param>
    /// <param name="tolerance">Allowed |sum - 1| for p and for q; see <see cref="Validate.DefaultSumTolerance"/>.</param>
    /// <remarks>Terms with p_i = 0 contribute 0 whatever q_i is (0 log 0 = 0 and 0 log q = 0). A term with
    /// q_i = 0 and p_i &gt; 0 makes the result +inf: the model calls possible an outcome impossible. The result is
    /// never NaN for valid input. Subnormal probabilities are handled exactly like normal ones.</remarks>
    /// <exception cref="ArgumentException">p or q is empty, has a NaN, negative or &gt;1 entry, does not sum to 1,
    /// or the lengths differ.</exception>
    public static double CrossEntropy(ReadOnlySpan<double> p, ReadOnlySpan<double> q,
        InformationUnit unit = InformationUnit.Nats, double tolerance = Validate.DefaultSumTolerance)
    {
        double lnBase = unit.LnBase();
        ValidatePair(p, q, tolerance);
        return CrossEntropyUnchecked(p, q) / lnBase;
    }

    /// <summary>Cross-entropy in an arbitrary logarithm base: -sum_i p_i log_b q_i.</summary>
    /// <remarks>As <see cref="CrossEntropy(ReadOnlySpan{double}, ReadOnlySpan{double}, InformationUnit, double)"/>:
    /// p_i = 0 terms are 0, q_i = 0 with p_i &gt; 0 gives +inf.</remarks>
    /// <exception cref="ArgumentException">p or q is not a distribution, the lengths differ, or the base is not
    /// finite, positive and ≠ 1.</exception>
    public static double CrossEntropy(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double logBase,
        double tolerance = Validate.DefaultSumTolerance)
    {
        double lnBase = InformationUnits.LnOfBase(logBase, nameof(logBase));
        ValidatePair(p, q, tolerance);
        return CrossEntropyUnchecked(p, q) / lnBase;
    }

    /// <summary>Cross-entropy in nats of two already validated vectors of equal length.</summary>
    internal static double CrossEntropyUnchecked(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double h = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            double pi = p[i];
            if (pi > 0.0)
            {
                h -= pi * Math.Log(q[i]);
            }
        }

        return h;
    }

    private static void ValidatePair(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double tolerance)
    {
        Validate.Distribution(p, nameof(p), tolerance);
        Validate.SameLength(p.Length, q.Length, nameof(q), nameof(p));
        Validate.Distribution(q, nameof(q), tolerance);
    }
}
