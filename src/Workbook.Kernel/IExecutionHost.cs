using Workbook.Host;

namespace Workbook.Kernel;

/// <summary>Where the kernel's code runs: in this process (<see cref="ExecutionSession"/>) or in a worker process
/// that can be killed (<see cref="WorkerExecutionHost"/>).</summary>
public interface IExecutionHost : IAsyncDisposable
{
    /// <summary>Runs <paramref name="code"/>, reporting each output as it is produced; the error, if any, last.</summary>
    Task<ExecutionOutcome> ExecuteAsync(string code, int executionCount, Action<CellOutput> onOutput);

    /// <summary>Interrupts the running cell, if any; returns at once.</summary>
    void Interrupt();

    /// <summary>Completions at a UTF-16 offset.</summary>
    Task<CompletionResult> CompleteAsync(string code, int cursor);

    /// <summary>Hover documentation at a UTF-16 offset (MIME type to content), or null.</summary>
    Task<IReadOnlyDictionary<string, string>?> InspectAsync(string code, int cursor);
}
