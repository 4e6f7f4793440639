namespace Workbook.Core.Simulation;

/// <summary>The analytic values the thought experiment converges to, in nats: H(p), H(p,q), KL(p‖q), and the
/// per-draw variances that set the width of the convergence band.</summary>
/// <remarks>
/// <para>Computed here rather than borrowed from <c>Information</c> so the simulation stands on its own; the formulas
/// are the textbook ones with 0 log 0 = 0 (a class with p_i = 0 contributes nothing).</para>
/// <para>If q_i = 0 for some class with p_i &gt; 0, then H(p,q) = KL = +∞ and <see cref="VarPerDraw"/> is NaN (the
/// variance of a quantity that is +∞ with positive probability is undefined); <see cref="ImpossibleMass"/> is the
/// probability p puts on such classes.</para>
/// </remarks>
/// <param name="Entropy">H(p) = -Σ p_i ln p_i.</param>
/// <param name="CrossEntropy">H(p,q) = -Σ p_i ln q_i = E_p[-ln q(X)].</param>
/// <param name="KL">KL(p‖q) = Σ p_i ln(p_i / q_i) = H(p,q) - H(p) &gt;= 0.</param>
/// <param name="VarPerDraw">Var_p[-ln q(X)] = Σ p_i (-ln q_i - H(p,q))², in nats².</param>
/// <param name="Varentropy">Var_p[-ln p(X)] = Σ p_i (-ln p_i - H(p))², in nats².</param>
/// <param name="ImpossibleMass">Σ p_i over classes with q_i = 0 (0 when q covers the support of p).</param>
public sealed record ExperimentTheory(
    double Entropy, double CrossEntropy, double KL, double VarPerDraw, double Varentropy, double ImpossibleMass)
{
    /// <summary>The analytic values for sampling from <paramref name="p"/> and scoring with <paramref name="q"/>.</summary>
    /// <exception cref="ArgumentException">p or q is not a probability vector, or their lengths differ.</exception>
    public static ExperimentTheory For(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        Validate.Distribution(p, nameof(p));
        Validate.Distribution(q, nameof(q));
        Validate.SameLength(p.Length, q.Length, nameof(q), nameof(p));
        return ForUnchecked(p, q);
    }

    /// <summary>Array convenience for notebooks.</summary>
    /// <exception cref="ArgumentException">As <see cref="For(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</exception>
    public static ExperimentTheory For(double[] p, double[] q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        return For(p.AsSpan(), q.AsSpan());
    }

    /// <summary>Standard error of the estimate after n draws: sqrt(VarPerDraw / n).</summary>
    /// <remarks>NaN when <see cref="VarPerDraw"/> is NaN (infinite cross-entropy).</remarks>
    public double StandardError(long n) => Math.Sqrt(VarPerDraw / n);

    internal static ExperimentTheory ForUnchecked(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double h = 0.0, hpq = 0.0, kl = 0.0, impossible = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            double pi = p[i];
            if (pi <= 0.0)
            {
                continue;
            }

            double lp = Math.Log(pi);
            h -= pi * lp;
            if (q[i] <= 0.0)
            {
                impossible += pi;
                continue;
            }

            double lq = Math.Log(q[i]);
            hpq -= pi * lq;
            kl += pi * (lp - lq);
        }

        double varQ = 0.0, varP = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            double pi = p[i];
            if (pi <= 0.0)
            {
                continue;
            }

            double dp = -Math.Log(pi) - h;
            varP += pi * dp * dp;
            if (q[i] > 0.0)
            {
                double dq = -Math.Log(q[i]) - hpq;
                varQ += pi * dq * dq;
            }
        }

        if (impossible > 0.0)
        {
            return new ExperimentTheory(h, double.PositiveInfinity, double.PositiveInfinity, double.NaN, varP, impossible);
        }

        return new ExperimentTheory(h, hpq, Math.Max(kl, 0.0), varQ, varP, 0.0);
    }
}
