namespace Workbook.Host.Execution;

/// <summary>Runs a notebook's code cells one at a time in one C# kernel (<see cref="NotebookKernelFactory"/>): streams each
/// cell's outputs, interrupts, completes and inspects code, and shuts down when disposed. <c>run</c>, <c>check</c>,
/// <c>grade</c> and the Jupyter kernel all execute through this interface.</summary>
/// <remarks>Two implementations: <see cref="InProcessExecutor"/> (the kernel in this process) and
/// <see cref="WorkerExecutor"/> (the kernel in a worker process that is ended and replaced when a cell times out,
/// ignores an interrupt, or kills it).</remarks>
public interface ICellExecutor : IAsyncDisposable
{
    /// <summary>Runs one cell, reporting each output as it is produced, in order; an error, if any, is reported
    /// last. Returns how the cell ended. Display updates that complete a chart (its static image) may be reported
    /// after this returns, until <see cref="ExecutionOutcome.Settled"/> completes.</summary>
    /// <exception cref="WorkerStartException">The kernel could not be started (an infrastructure failure, not
    /// the cell's).</exception>
    Task<ExecutionOutcome> ExecuteAsync(CellRequest request, Action<CellOutput> onOutput,
        CancellationToken cancellationToken = default);

    /// <summary>Interrupts the running cell, if any; returns at once (the execution reports how it ended).</summary>
    void Interrupt();

    /// <summary>Completions at a UTF-16 offset of <paramref name="code"/>.</summary>
    Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken = default);

    /// <summary>Hover documentation at a UTF-16 offset (MIME type to content), or null.</summary>
    Task<IReadOnlyDictionary<string, string>?> InspectAsync(string code, int cursor,
        CancellationToken cancellationToken = default);
}

/// <summary>One cell to execute.</summary>
/// <param name="Code">The cell's source.</param>
/// <param name="ExecutionCount">The execution count its result carries.</param>
/// <param name="Timeout">Wall-clock limit for the cell, or null for none.</param>
public sealed record CellRequest(string Code, int ExecutionCount, TimeSpan? Timeout = null);

/// <summary>How a cell's execution ended.</summary>
public enum ExecutionStatus
{
    /// <summary>The cell ran without error.</summary>
    Ok,

    /// <summary>The cell threw or did not compile.</summary>
    Failed,

    /// <summary>The cell was interrupted.</summary>
    Interrupted,

    /// <summary>The cell ran past its time limit and was stopped.</summary>
    TimedOut,

    /// <summary>The process running the cell died (<c>Environment.Exit</c>, a stack overflow, killed).</summary>
    WorkerDied,
}

/// <summary>How an execution ended.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Error">The error that stopped the cell (also reported as its last output), or null when it
/// succeeded.</param>
/// <param name="KernelWasReset">True when the kernel's state was lost: the code could not be stopped otherwise, or
/// its process died; the next cell runs in a fresh kernel.</param>
public sealed record ExecutionOutcome(ExecutionStatus Status, ErrorOutput? Error, bool KernelWasReset = false)
{
    /// <summary>A successful execution.</summary>
    public static ExecutionOutcome Ok { get; } = new(ExecutionStatus.Ok, null);

    /// <summary>True when the cell ran without error.</summary>
    public bool Succeeded => Status == ExecutionStatus.Ok;

    /// <summary>The exit code of the worker process when <see cref="Status"/> is
    /// <see cref="ExecutionStatus.WorkerDied"/>.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Completes when the outputs that follow the cell's end have all been reported: a chart's static
    /// image is drawn after the cell and arrives as a <see cref="DisplayUpdateOutput"/> of the chart's display, so
    /// an editor shows the chart at once. Already complete when nothing follows. A front end that saves outputs
    /// (as <c>run</c> does) waits for it; a live kernel replies without waiting.</summary>
    public Task Settled { get; init; } = Task.CompletedTask;
}

/// <summary>Completions for a cursor position: what to insert, and the span of the code it replaces.</summary>
/// <param name="Matches">The texts to insert, best first.</param>
/// <param name="CursorStart">Start of the replaced span (character offset in the code).</param>
/// <param name="CursorEnd">End of the replaced span.</param>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);

/// <summary>A kernel (a worker process, or the kernel inside it) could not be started. This is the tool's failure,
/// not the notebook's: the message says why, with the last lines the worker wrote to standard error.</summary>
public sealed class WorkerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerStartException(string message, IReadOnlyList<string>? stderr = null, Exception? inner = null)
        : base(Compose(message, stderr ?? []), inner)
    {
        Stderr = stderr ?? [];
    }

    /// <summary>The last lines the worker wrote to standard error.</summary>
    public IReadOnlyList<string> Stderr { get; }

    private static string Compose(string message, IReadOnlyList<string> stderr) =>
        stderr.Count == 0
            ? message
            : message + Environment.NewLine + "the worker's last lines on standard error:" + Environment.NewLine +
              string.Join(Environment.NewLine, stderr.Select(l => "  " + l));
}
