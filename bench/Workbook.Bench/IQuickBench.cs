namespace Workbook.Bench;

/// <summary>A benchmark class that also offers cases for the quick mode (<c>-- --quick</c>).</summary>
/// <remarks>Every non-abstract class implementing this in the assembly is picked up by <see cref="QuickRunner"/>.
/// A case names itself as it appears in bench/README.md, says how many elements (or draws, or calls) one
/// invocation processes and what the unit is, and runs one invocation.</remarks>
public interface IQuickBench
{
    /// <summary>The quick-mode cases of this class.</summary>
    IEnumerable<QuickCase> QuickCases();
}

/// <summary>One quick-mode case: <paramref name="Run"/> processes <paramref name="Elements"/> units per call.</summary>
/// <param name="Name">Printed as <c>name: value unit</c>.</param>
/// <param name="Elements">Units processed per call (elements, draws; 1 for per-call figures).</param>
/// <param name="Unit">e.g. <c>ns/element</c>, <c>ns/draw</c>, <c>us/call</c>; <c>MB/s</c> reads Elements as bytes
/// per call and prints a throughput.</param>
/// <param name="Run">One invocation.</param>
public sealed record QuickCase(string Name, double Elements, string Unit, Action Run);
