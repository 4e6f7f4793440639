namespace Workbook.Core.Simulation;

/// <summary>The unchecked core of <see cref="Experiment"/>: precomputed per-class logs, the alias table and the
/// multinomial samplers for p, for p restricted to the classes q can score, and for p restricted to the others.</summary>
internal sealed class ExperimentEngine
{
    private readonly int _k;
    private readonly double[] _negLogP;          // -ln p_i (0 where p_i = 0: never drawn)
    private readonly double[] _negLogQ;          // -ln q_i (+inf where q_i = 0)
    private readonly AliasTable _alias;
    private readonly MultinomialSampler _all;
    private readonly bool[] _impossible;         // p_i > 0 and q_i = 0
    private readonly MultinomialSampler? _possibleOnly;
    private readonly MultinomialSampler? _impossibleOnly;
    private readonly double _log1mImpossible;    // ln(1 - impossible mass)
    private readonly SegmentMode _mode;
    private readonly long _drawLimit;

    public ExperimentEngine(double[] p, double[] q, SegmentMode mode)
    {
        _k = p.Length;
        _mode = mode;
        _drawLimit = 32L * _k + 256;
        Theory = ExperimentTheory.ForUnchecked(p, q);
        _negLogP = new double[_k];
        _negLogQ = new double[_k];
        _impossible = new bool[_k];
        for (int i = 0; i < _k; i++)
        {
            _negLogP[i] = p[i] > 0.0 ? -Math.Log(p[i]) : 0.0;
            _negLogQ[i] = q[i] > 0.0 ? -Math.Log(q[i]) : double.PositiveInfinity;
            _impossible[i] = p[i] > 0.0 && q[i] <= 0.0;
        }

        _alias = new AliasTable(p);
        _all = new MultinomialSampler(p);
        double imp = Theory.ImpossibleMass;
        if (imp > 0.0)
        {
            var pp = new double[_k];
            var pi = new double[_k];
            for (int i = 0; i < _k; i++)
            {
                (_impossible[i] ? pi : pp)[i] = p[i];
            }

            _possibleOnly = new MultinomialSampler(pp);
            _impossibleOnly = new MultinomialSampler(pi);
            _log1mImpossible = SimMath.Log1p(-imp);
        }
    }

    public ExperimentTheory Theory { get; }

    public ExperimentRun Run(ref Xoshiro256StarStar rng, long[] checkpoints, bool keepCounts)
    {
        int c = checkpoints.Length;
        var minusLogP = new double[c];
        var minusLogQ = new double[c];
        var countsAt = keepCounts ? new long[c][] : null;
        var counts = new long[_k];
        long n = 0, firstImpossible = 0;
        for (int j = 0; j < c; j++)
        {
            long m = checkpoints[j] - n;
            Advance(ref rng, n, m, counts, ref firstImpossible);
            n = checkpoints[j];
            double sp = 0.0, sq = 0.0;
            for (int i = 0; i < _k; i++)
            {
                long ci = counts[i];
                if (ci != 0)
                {
                    sp += ci * _negLogP[i];
                    sq += ci * _negLogQ[i];
                }
            }

            minusLogP[j] = sp / n;
            minusLogQ[j] = firstImpossible != 0 ? double.PositiveInfinity : sq / n;
            if (countsAt is not null)
            {
                countsAt[j] = (long[])counts.Clone();
            }
        }

        return new ExperimentRun(checkpoints, minusLogP, minusLogQ, countsAt, firstImpossible, Theory);
    }

    /// <summary>Adds m draws (numbered n+1..n+m) to the counts.</summary>
    private void Advance(ref Xoshiro256StarStar rng, long n, long m, long[] counts, ref long firstImpossible)
    {
        bool watch = firstImpossible == 0 && _possibleOnly is not null;
        bool draw = _mode == SegmentMode.DrawByDraw || (_mode == SegmentMode.Auto && m <= _drawLimit);
        if (draw)
        {
            if (!watch)
            {
                _alias.AddCountsUnchecked(ref rng, m, counts);
                return;
            }

            for (long t = 1; t <= m; t++)
            {
                int x = _alias.Sample(ref rng);
                counts[x]++;
                if (_impossible[x])
                {
                    firstImpossible = n + t;
                    _alias.AddCountsUnchecked(ref rng, m - t, counts);
                    return;
                }
            }

            return;
        }

        if (!watch)
        {
            _all.AddCounts(ref rng, m, counts);
            return;
        }

        // Waiting time G >= 1 to the first impossible draw is geometric; given G = g the first g - 1 draws come from
        // p restricted to possible classes, draw g from p restricted to impossible ones, the rest from p.
        long g = Geometric(ref rng);
        if (g > m)
        {
            _possibleOnly!.AddCounts(ref rng, m, counts);
            return;
        }

        _possibleOnly!.AddCounts(ref rng, g - 1, counts);
        _impossibleOnly!.AddCounts(ref rng, 1, counts);
        firstImpossible = n + g;
        _all.AddCounts(ref rng, m - g, counts);
    }

    /// <summary>P(G = g) = (1 - s)^(g-1) s with s the impossible mass, by inversion: 1 + floor(ln U / ln(1 - s)).</summary>
    private long Geometric(ref Xoshiro256StarStar rng)
    {
        if (_log1mImpossible == double.NegativeInfinity)
        {
            return 1;
        }

        double g = Math.Floor(Math.Log(rng.NextDoubleOpen()) / _log1mImpossible) + 1.0;
        return g >= 9.2e18 ? long.MaxValue : (long)g;
    }
}
