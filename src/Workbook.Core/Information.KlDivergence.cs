namespace Workbook.Core;

public static partial class Information
{
    /// <summary>Kullback-Leibler divergence D(p || q) = sum_i p_i log(p_i / q_i), in <paramref name="unit"/>
    /// (nats by default): the extra code length paid for coding p with q. D = H(p, q) - H(p) &gt;= 0 (Gibbs),
    /// with equality only when p = q.</summary>
    /// <param name="p">The true distribution.</param>
    /// <param name="q">The model distribution, the same length as p.</param>
    /// <param name="unit">Nats (ln), bits (log2) or hartleys (log10).</param>
    /// <param name="tolerance">Allowed |sum - 1| for p and for q; see <see cref="Validate.DefaultSumTolerance"/>.</param>
    /// <remarks>Computed term by term as p_i log(p_i / q_i) (scipy's <c>rel_entr</c>), which is exactly 0 when
    /// p = q. Terms with p_i = 0 contribute 0. A term with q_i = 0 and p_i &gt; 0 makes the result +inf. Not
    /// symmetric: D(p || q) ≠ D(q || p) in general. Never NaN for valid input.</remarks>
    /// <exception cref="ArgumentException">p or q is not a distribution, or the lengths differ.</exception>
    public static double KlDivergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q,
        InformationUnit unit = InformationUnit.Nats, double tolerance = Validate.DefaultSumTolerance)
    {
        double lnBase = unit.LnBase();
        ValidatePair(p, q, tolerance);
        return KlDivergenceUnchecked(p, q) / lnBase;
    }

    /// <summary>KL divergence in an arbitrary logarithm base: sum_i p_i log_b(p_i / q_i).</summary>
    /// <remarks>As the unit overload: p_i = 0 terms are 0, q_i = 0 with p_i &gt; 0 gives +inf.</remarks>
    /// <exception cref="ArgumentException">p or q is not a distribution, the lengths differ, or the base is not
    /// finite, positive and ≠ 1.</exception>
    public static double KlDivergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double logBase,
        double tolerance = Validate.DefaultSumTolerance)
    {
        double lnBase = InformationUnits.LnOfBase(logBase, nameof(logBase));
        ValidatePair(p, q, tolerance);
        return KlDivergenceUnchecked(p, q) / lnBase;
    }

    /// <summary>KL divergence in nats of two already validated vectors of equal length.</summary>
    internal static double KlDivergenceUnchecked(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double d = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            double pi = p[i];
            if (pi > 0.0)
            {
                double qi = q[i];
                if (qi == 0.0)
                {
                    return double.PositiveInfinity;
                }

                double ratio = pi / qi;
                // p/q can overflow (p normal, q subnormal) or underflow; fall back to the difference of logs.
                d += double.IsFinite(ratio) && ratio > 0.0
                    ? pi * Math.Log(ratio)
                    : pi * (Math.Log(pi) - Math.Log(qi));
            }
        }

        return d;
    }
}
