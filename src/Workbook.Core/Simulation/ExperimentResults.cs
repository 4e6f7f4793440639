namespace Workbook.Core.Simulation;

/// <summary>One run of the experiment: the estimates and class counts at each checkpoint.</summary>
/// <remarks>Arrays are indexed by checkpoint, ready to plot against <see cref="Checkpoints"/>.</remarks>
public sealed class ExperimentRun
{
    internal ExperimentRun(long[] checkpoints, double[] minusLogP, double[] minusLogQ, long[][]? counts,
        long firstImpossibleDraw, ExperimentTheory theory)
    {
        Checkpoints = checkpoints;
        MinusLogPOverN = minusLogP;
        MinusLogQOverN = minusLogQ;
        CountsAt = counts;
        FirstImpossibleDraw = firstImpossibleDraw;
        Theory = theory;
    }

    /// <summary>The n at which the estimates were taken, ascending; the last is N.</summary>
    public long[] Checkpoints { get; }

    /// <summary>-(1/n) ln P_p(X_1..X_n) = (1/n) Σ n_i (-ln p_i) at each checkpoint; tends to H(p). Always finite.</summary>
    public double[] MinusLogPOverN { get; }

    /// <summary>-(1/n) ln P_q(X_1..X_n) = (1/n) Σ n_i (-ln q_i) at each checkpoint; tends to H(p,q).</summary>
    /// <remarks>+∞ (not NaN) at every checkpoint n ≥ <see cref="FirstImpossibleDraw"/>.</remarks>
    public double[] MinusLogQOverN { get; }

    /// <summary>The class counts n_i at each checkpoint (CountsAt[j][i]), or null for runs 1.. of
    /// <see cref="Experiment.RunMany"/>, which keep only run 0's counts.</summary>
    public long[][]? CountsAt { get; }

    /// <summary>Index (1-based) of the first draw of a class with q_i = 0 and p_i &gt; 0, or 0 if no such draw
    /// happened within N.</summary>
    public long FirstImpossibleDraw { get; }

    /// <summary>True when some draw had q-probability 0, so the cross-entropy estimate became +∞.</summary>
    public bool CrossEntropyEstimateIsInfinite => FirstImpossibleDraw != 0;

    /// <summary>The analytic values the estimates converge to.</summary>
    public ExperimentTheory Theory { get; }

    /// <summary>The final counts n_i (at N).</summary>
    /// <exception cref="InvalidOperationException">Counts were not kept for this run.</exception>
    public long[] FinalCounts => CountsAt?[^1] ?? throw new InvalidOperationException("counts were not kept for this run");
}

/// <summary>R runs of the experiment summarized per checkpoint; arrays are indexed by checkpoint.</summary>
public sealed class ExperimentSummary
{
    private ExperimentSummary(long[] checkpoints, ExperimentRun[] runs, ExperimentTheory theory, double epsilon, double z)
    {
        Checkpoints = checkpoints;
        Runs = runs;
        Theory = theory;
        Epsilon = epsilon;
        Z = z;
        int c = checkpoints.Length;
        MeanMinusLogPOverN = new double[c];
        MeanMinusLogQOverN = new double[c];
        Q05 = new double[c];
        Q50 = new double[c];
        Q95 = new double[c];
        BandLow = new double[c];
        BandHigh = new double[c];
        FractionInBand = new double[c];
        FractionTypical = new double[c];
    }

    /// <summary>The checkpoints n, ascending; the last is N.</summary>
    public long[] Checkpoints { get; }

    /// <summary>The individual runs, in stream order (run 0 keeps its counts).</summary>
    public ExperimentRun[] Runs { get; }

    /// <summary>The analytic values.</summary>
    public ExperimentTheory Theory { get; }

    /// <summary>ε used for <see cref="FractionInBand"/> and <see cref="FractionTypical"/>.</summary>
    public double Epsilon { get; }

    /// <summary>z used for <see cref="BandLow"/> and <see cref="BandHigh"/>.</summary>
    public double Z { get; }

    /// <summary>Mean over runs of -(1/n) ln P_p.</summary>
    public double[] MeanMinusLogPOverN { get; }

    /// <summary>Mean over runs of -(1/n) ln P_q (+∞ if any run is +∞).</summary>
    public double[] MeanMinusLogQOverN { get; }

    /// <summary>5% quantile over runs of -(1/n) ln P_q (linear interpolation between order statistics).</summary>
    public double[] Q05 { get; }

    /// <summary>Median over runs of -(1/n) ln P_q.</summary>
    public double[] Q50 { get; }

    /// <summary>95% quantile over runs of -(1/n) ln P_q.</summary>
    public double[] Q95 { get; }

    /// <summary>H(p,q) - z sqrt(Var[-ln q(X)] / n): the normal-approximation band (+∞ if H(p,q) is infinite).</summary>
    public double[] BandLow { get; }

    /// <summary>H(p,q) + z sqrt(Var[-ln q(X)] / n) (+∞ if H(p,q) is infinite).</summary>
    public double[] BandHigh { get; }

    /// <summary>Fraction of runs with |-(1/n) ln P_q - H(p,q)| ≤ ε (when H(p,q) = +∞: fraction of runs at +∞).</summary>
    public double[] FractionInBand { get; }

    /// <summary>Fraction of runs with |-(1/n) ln P_p - H(p)| ≤ ε: the probability of the ε-typical set, which tends
    /// to 1 by the AEP.</summary>
    public double[] FractionTypical { get; }

    internal static ExperimentSummary From(ExperimentRun[] runs, ExperimentTheory t, long[] checkpoints, double epsilon, double z)
    {
        var s = new ExperimentSummary(checkpoints, runs, t, epsilon, z);
        int r = runs.Length;
        var column = new double[r];
        for (int j = 0; j < checkpoints.Length; j++)
        {
            double sumP = 0.0, sumQ = 0.0;
            int inBand = 0, typical = 0;
            for (int i = 0; i < r; i++)
            {
                double ep = runs[i].MinusLogPOverN[j];
                double eq = runs[i].MinusLogQOverN[j];
                sumP += ep;
                sumQ += eq;
                column[i] = eq;
                if (eq == t.CrossEntropy || Math.Abs(eq - t.CrossEntropy) <= epsilon)
                {
                    inBand++;
                }

                if (Math.Abs(ep - t.Entropy) <= epsilon)
                {
                    typical++;
                }
            }

            Array.Sort(column);
            s.MeanMinusLogPOverN[j] = sumP / r;
            s.MeanMinusLogQOverN[j] = sumQ / r;
            s.Q05[j] = Quantile(column, 0.05);
            s.Q50[j] = Quantile(column, 0.50);
            s.Q95[j] = Quantile(column, 0.95);
            if (double.IsPositiveInfinity(t.CrossEntropy))
            {
                s.BandLow[j] = s.BandHigh[j] = double.PositiveInfinity;
            }
            else
            {
                double half = z * Math.Sqrt(t.VarPerDraw / checkpoints[j]);
                s.BandLow[j] = t.CrossEntropy - half;
                s.BandHigh[j] = t.CrossEntropy + half;
            }

            s.FractionInBand[j] = (double)inBand / r;
            s.FractionTypical[j] = (double)typical / r;
        }

        return s;
    }

    /// <summary>Quantile of sorted values by linear interpolation between order statistics (R type 7).</summary>
    internal static double Quantile(double[] sorted, double prob)
    {
        double h = (sorted.Length - 1) * prob;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        double f = h - lo;
        if (f == 0.0 || sorted[lo] == sorted[hi])
        {
            return sorted[lo];
        }

        return sorted[lo] + (sorted[hi] - sorted[lo]) * f;
    }
}
