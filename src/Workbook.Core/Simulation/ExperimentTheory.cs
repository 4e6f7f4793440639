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

    /// <summary>max - min of -ln p_i over the classes with p_i &gt; 0: the range of one draw's surprisal under p.</summary>
    public double EntropySurprisalRange { get; private init; }

    /// <summary>max - min of -ln q_i over the classes with p_i &gt; 0 (+∞ when q rules out such a class).</summary>
    public double CrossEntropySurprisalRange { get; private init; }

    /// <summary>E_p|-ln p(X) - H(p)|³, in nats³: the third absolute moment behind <see cref="NormalApproximationError"/>.</summary>
    public double EntropyThirdAbsoluteMoment { get; private init; }

    /// <summary>A half-width t that the estimate after n draws leaves only with probability at most
    /// <paramref name="failureProbability"/>: P(|-(1/n) ln P - limit| &gt;= t) &lt;= failureProbability, by Bernstein's
    /// inequality, t = (2ML/3 + sqrt((2ML/3)² + 8nLσ²)) / (2n) with L = ln(2 / failureProbability), σ² the per-draw
    /// variance and M the surprisal range.</summary>
    /// <param name="n">Number of draws, &gt;= 1.</param>
    /// <param name="failureProbability">In (0, 1).</param>
    /// <param name="crossEntropy">False for the estimate of H(p) (scored by p), true for H(p,q) (scored by q).</param>
    /// <remarks>Holds for every n, not only when the normal approximation does: each draw's surprisal is bounded.
    /// It is 0 when every possible draw has the same surprisal, and +∞ for the cross-entropy when q rules out an
    /// outcome p can produce.</remarks>
    /// <exception cref="ArgumentException">n &lt; 1 or the probability outside (0, 1).</exception>
    public double DeviationBound(long n, double failureProbability, bool crossEntropy = false)
    {
        if (n < 1)
        {
            throw new ArgumentException($"n is {n}, expected a number of draws >= 1", nameof(n));
        }

        if (!(failureProbability > 0 && failureProbability < 1))
        {
            throw new ArgumentException($"failureProbability is {Validate.Format(failureProbability)}, expected a probability in (0, 1)",
                nameof(failureProbability));
        }

        double range = crossEntropy ? CrossEntropySurprisalRange : EntropySurprisalRange;
        double variance = crossEntropy ? VarPerDraw : Varentropy;
        if (double.IsInfinity(range) || double.IsNaN(variance))
        {
            return double.PositiveInfinity;
        }

        double l = Math.Log(2 / failureProbability);
        double a = 2 * range * l / 3;
        return (a + Math.Sqrt(a * a + 8.0 * n * l * variance)) / (2.0 * n);
    }

    /// <summary>The Berry–Esseen bound on how far the distribution of the standardised estimate of H(p) after n draws
    /// is from the standard normal: sup_x |P(Z_n &lt;= x) - Φ(x)| &lt;= 0.4748 ρ / (σ³ √n), ρ =
    /// <see cref="EntropyThirdAbsoluteMoment"/>, σ² = <see cref="Varentropy"/> (constant of Shevtsova, 2011).</summary>
    /// <remarks>NaN when the varentropy is 0 (every draw has the same surprisal: there is nothing to approximate).</remarks>
    /// <exception cref="ArgumentException">n &lt; 1.</exception>
    public double NormalApproximationError(long n)
    {
        if (n < 1)
        {
            throw new ArgumentException($"n is {n}, expected a number of draws >= 1", nameof(n));
        }

        return Varentropy > 0 ? 0.4748 * EntropyThirdAbsoluteMoment / (Math.Pow(Varentropy, 1.5) * Math.Sqrt(n)) : double.NaN;
    }

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

        double minP = double.PositiveInfinity, maxP = double.NegativeInfinity, minQ = double.PositiveInfinity,
            maxQ = double.NegativeInfinity, third = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] <= 0.0)
            {
                continue;
            }

            double sp = -Math.Log(p[i]), sq = q[i] > 0.0 ? -Math.Log(q[i]) : double.PositiveInfinity;
            (minP, maxP) = (Math.Min(minP, sp), Math.Max(maxP, sp));
            (minQ, maxQ) = (Math.Min(minQ, sq), Math.Max(maxQ, sq));
            third += p[i] * Math.Pow(Math.Abs(sp - h), 3);
        }

        var theory = impossible > 0.0
            ? new ExperimentTheory(h, double.PositiveInfinity, double.PositiveInfinity, double.NaN, varP, impossible)
            : new ExperimentTheory(h, hpq, Math.Max(kl, 0.0), varQ, varP, 0.0);
        return theory with
        {
            EntropySurprisalRange = maxP - minP,
            CrossEntropySurprisalRange = double.IsInfinity(maxQ) ? double.PositiveInfinity : maxQ - minQ,
            EntropyThirdAbsoluteMoment = third,
        };
    }
}
