using BenchmarkDotNet.Attributes;
using Workbook.Core.Simulation;

namespace Workbook.Bench;

/// <summary>The simulation engine: draws + fused running estimate (ns/draw), multinomial counts for N = 10^12
/// (us/call), and a 10^12-draw trajectory with 60 log-spaced checkpoints (us/call).</summary>
/// <remarks>Distributions match the peers' script: k = 6 is p = (0.1 x5, 0.5), k = 1000 is a Dirichlet(1) draw;
/// q is p reversed.</remarks>
[MemoryDiagnoser]
public class SimulationBench : IQuickBench
{
    private const long Draws = 10_000_000;
    private const long Huge = 1_000_000_000_000;

    private readonly double[] _p6 = [0.1, 0.1, 0.1, 0.1, 0.1, 0.5];
    private readonly double[] _q6;
    private readonly double[] _p1000;
    private readonly double[] _q1000;
    private readonly long[] _counts6 = new long[6];
    private readonly long[] _counts1000 = new long[1000];
    private readonly long[] _trajectory60;
    private readonly AliasTable _alias6;
    private readonly AliasTable _alias1000;
    private Xoshiro256StarStar _rng = new(20241124);

    public SimulationBench()
    {
        _q6 = _p6.Reverse().ToArray();
        var g = new Xoshiro256StarStar(20241124);
        var e = Enumerable.Range(0, 1000).Select(_ => -Math.Log(g.NextDoubleOpen())).ToArray();  // Dirichlet(1)
        double s = e.Sum();
        _p1000 = e.Select(x => x / s).ToArray();
        _q1000 = _p1000.Reverse().ToArray();
        _trajectory60 = Experiment.LogSpaced(Huge, 60);
        _alias6 = new AliasTable(_p6);
        _alias1000 = new AliasTable(_p1000);
    }

    /// <summary>1e7 draws one by one with -1/n log P_p and -1/n log P_q at the default ~71 log-spaced checkpoints.</summary>
    [Benchmark]
    [Arguments(6)]
    [Arguments(1000)]
    public double DrawsPlusEstimate(int k) => k == 6
        ? Experiment.Run(_p6, _q6, Draws, 1, null, SegmentMode.DrawByDraw).MinusLogQOverN[^1]
        : Experiment.Run(_p1000, _q1000, Draws, 1, null, SegmentMode.DrawByDraw).MinusLogQOverN[^1];

    /// <summary>1e7 alias draws into counts, no estimate.</summary>
    [Benchmark]
    [Arguments(6)]
    [Arguments(1000)]
    public long DrawsOnly(int k)
    {
        var counts = k == 6 ? _counts6 : _counts1000;
        (k == 6 ? _alias6 : _alias1000).AddCounts(ref _rng, Draws, counts);
        return counts[0];
    }

    /// <summary>Multinomial(10^12, p) counts.</summary>
    [Benchmark]
    [Arguments(6)]
    [Arguments(1000)]
    public long Counts1e12(int k)
    {
        var counts = k == 6 ? _counts6 : _counts1000;
        Binomial.Multinomial(ref _rng, Huge, k == 6 ? _p6 : _p1000, counts);
        return counts[0];
    }

    /// <summary>A 10^12-draw trajectory with 60 log-spaced checkpoints, k = 6 (Auto: draws for short segments,
    /// count jumps for long ones).</summary>
    [Benchmark]
    public double Trajectory1e12() => Experiment.Run(_p6, _q6, Huge, 1, _trajectory60).MinusLogQOverN[^1];

    public IEnumerable<QuickCase> QuickCases() =>
    [
        new("Sim draws+estimate k=6 N=1e7", Draws, "ns/draw", () => DrawsPlusEstimate(6)),
        new("Sim draws+estimate k=1000 N=1e7", Draws, "ns/draw", () => DrawsPlusEstimate(1000)),
        new("Sim draws only k=6 N=1e7", Draws, "ns/draw", () => DrawsOnly(6)),
        new("Sim draws only k=1000 N=1e7", Draws, "ns/draw", () => DrawsOnly(1000)),
        new("Sim counts N=1e12 k=6", 1, "us/call", () => Counts1e12(6)),
        new("Sim counts N=1e12 k=1000", 1, "us/call", () => Counts1e12(1000)),
        new("Sim trajectory N=1e12 60 checkpoints k=6", 1, "us/call", () => Trajectory1e12()),
    ];
}
