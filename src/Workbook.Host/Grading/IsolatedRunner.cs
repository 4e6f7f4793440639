using System.Diagnostics;
using System.Globalization;
using Workbook.Host.Execution;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Grading;

/// <summary>How submissions are graded.</summary>
public sealed record GradingOptions
{
    /// <summary>Wall-clock limit per cell (default 30 s). A cell over it is recorded as <c>timeout</c> and its
    /// worker process is ended.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wall-clock limit for all the worker processes of one submission (default 10 minutes); when it is
    /// reached the worker is killed and every cell not yet graded is <c>timeout</c>.</summary>
    public TimeSpan SubmissionTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>GC heap limit of a worker in bytes (default 1 GiB), passed as <c>DOTNET_GCHeapHardLimit</c>.</summary>
    public long MemoryLimitBytes { get; init; } = 1L << 30;

    /// <summary>How many submissions are graded at once (default: the number of cores).</summary>
    public int MaxParallel { get; init; } = Environment.ProcessorCount;

    /// <summary>Run each test cell in its canary form (default true): the test, then a throw carrying a nonce the
    /// submission cannot know in advance. A test earns its points only when it fails with exactly that throw, so code
    /// that skips tests or swallows their failures earns nothing (<see cref="CellStatus.Tampered"/>).</summary>
    public bool Canary { get; init; } = true;

    /// <summary>Bytes of output recorded per cell (default 64 KiB): text past it is cut, displays dropped, and the
    /// cell's feedback says so.</summary>
    public long MaxCellOutputBytes { get; init; } = 64 << 10;

    /// <summary>Bytes of output recorded for a whole notebook (default 1 MiB), with the same note where cut.</summary>
    public long MaxNotebookOutputBytes { get; init; } = 1 << 20;

    /// <summary>Bytes a cell may send to the grader in all before its worker is ended as a flood (default 16 MiB;
    /// the cell fails with an <c>OutputLimitError</c>). Outputs past <see cref="MaxCellOutputBytes"/> are read and
    /// dropped up to this point.</summary>
    public long FloodBytes { get; init; } = 16 << 20;

    /// <summary>What of a handed-in folder is copied (bytes, files, depth); see <see cref="SubmissionIntake"/>.</summary>
    internal IntakeLimits Intake { get; init; } = new();
}

/// <summary>The final status of one code cell of a prepared notebook after isolated execution.</summary>
/// <param name="Status">How the cell ended.</param>
/// <param name="Message">Why it did not pass, or empty.</param>
/// <param name="Outputs">Its outputs as nbformat JSON, or null when it produced none that were recorded.</param>
internal sealed record IsolatedCellResult(CellStatus Status, string Message, System.Text.Json.Nodes.JsonArray? Outputs);

/// <summary>Runs a prepared notebook through a <see cref="WorkerExecutor"/> with the time and memory limits of
/// <see cref="GradingOptions"/>. Every code cell runs, also after a failing one. When a cell ends its worker (a
/// timeout, an exit, a stack overflow), that cell is recorded as such and a fresh worker runs the notebook again from
/// the top, without that cell and without the test cells already graded, so one broken part does not zero the
/// others. Cells and results travel only over the worker's pipe.</summary>
internal static class IsolatedRunner
{
    /// <summary>Runs <paramref name="notebook"/> with <paramref name="workingDirectory"/> as the worker's current
    /// directory; returns the final result of every code cell that has one, keyed by cell id. Cells missing from the
    /// result were never reached.</summary>
    /// <exception cref="WorkerStartException">A worker could not start its kernel: the tool's failure, never a
    /// grade.</exception>
    /// <remarks><c>cellFinished</c>, when given, is called with each cell's id and result as soon as it has one (a
    /// cell run again after a restart is reported again).</remarks>
    public static async Task<IsolatedRun> RunAsync(IpynbDocument notebook, string workingDirectory,
        GradingOptions options, WorkerLauncher launcher, CancellationToken cancellationToken = default,
        Action<string, IsolatedCellResult>? cellFinished = null)
    {
        var results = new Dictionary<string, IsolatedCellResult>(StringComparer.Ordinal);
        var graded = notebook.Cells.Where(c => NbgraderCellInfo.Of(c)?.IsTest == true).Select(c => c.Id).ToHashSet();
        var skip = new HashSet<string>(StringComparer.Ordinal);
        var cells = notebook.Cells.Where(c => c.IsCode && !string.IsNullOrWhiteSpace(c.Source)).ToList();
        var clock = Stopwatch.StartNew();
        await using var executor = await WorkerExecutor.StartAsync(new WorkerOptions
        {
            WorkingDirectory = workingDirectory,
            MemoryLimitBytes = options.MemoryLimitBytes,
            Launcher = launcher,
            MaxCellBytes = options.FloodBytes,
            MaxMessageBytes = (int)Math.Clamp(options.FloodBytes, 1024, int.MaxValue),
        }, cancellationToken);

        for (int pass = 0; pass <= cells.Count; pass++)
        {
            bool restarted = false;
            int executionCount = 0;
            // What cells graded in earlier passes (and not run again) recorded counts against this pass's budget.
            var cap = new OutputCap(options.MaxCellOutputBytes, options.MaxNotebookOutputBytes,
                results.Where(r => skip.Contains(r.Key)).Sum(r => (long)(r.Value.Outputs?.ToJsonString().Length ?? 0)));
            foreach (var cell in cells.Where(c => !skip.Contains(c.Id)))
            {
                var left = options.SubmissionTimeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return new IsolatedRun(results, CellStatus.Timeout);
                }

                bool submissionLimit = left < options.CellTimeout;
                var collector = new OutputCollector();
                var capped = cap.StartCell(collector);
                var outcome = await executor.ExecuteAsync(
                    new CellRequest(cell.Source, ++executionCount, submissionLimit ? left : options.CellTimeout),
                    capped.Add, cancellationToken);
                capped.Finish();
                var outputs = OutputCodec.ToIpynb(collector.Outputs);
                switch (outcome.Status)
                {
                    case ExecutionStatus.Ok:
                        results[cell.Id] = new IsolatedCellResult(CellStatus.Passed, "", outputs);
                        break;
                    case ExecutionStatus.TimedOut when submissionLimit:
                        results[cell.Id] = new IsolatedCellResult(CellStatus.Timeout,
                            "the submission reached its time limit while this cell ran", outputs);
                        cellFinished?.Invoke(cell.Id, results[cell.Id]);
                        return new IsolatedRun(results, CellStatus.Timeout);
                    case ExecutionStatus.TimedOut:
                        results[cell.Id] = new IsolatedCellResult(CellStatus.Timeout,
                            $"the cell did not finish within {options.CellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
                            outputs);
                        break;
                    case ExecutionStatus.WorkerDied:
                        results[cell.Id] = new IsolatedCellResult(CellStatus.Crashed,
                            "the grading process died while running this cell (exit code " +
                            (outcome.ExitCode ?? -1).ToString(CultureInfo.InvariantCulture) + ")", outputs);
                        break;
                    default:
                        results[cell.Id] = new IsolatedCellResult(CellStatus.Failed,
                            outcome.Error is { } e ? Describe(e) : "the cell failed", outputs);
                        break;
                }

                cellFinished?.Invoke(cell.Id, results[cell.Id]);
                if (outcome.KernelWasReset)
                {
                    // The kernel's state is gone: run again from the top in a fresh worker, without this cell and
                    // without the tests already graded.
                    skip.Add(cell.Id);
                    skip.UnionWith(graded.Where(results.ContainsKey));
                    restarted = true;
                    break;
                }
            }

            if (!restarted)
            {
                return new IsolatedRun(results, null);
            }
        }

        return new IsolatedRun(results, CellStatus.Crashed);
    }

    /// <summary>The error's type and the first line of its message.</summary>
    internal static string Describe(ErrorOutput error)
    {
        const int longest = 500;
        string first = TextLines.FirstLine(error.Message);
        string text = first.Length == 0 ? error.Name : $"{error.Name}: {first}";
        return text.Length <= longest ? text : text[..longest] + " [...]";
    }
}

/// <summary>The outcome of <see cref="IsolatedRunner.RunAsync"/>.</summary>
/// <param name="Cells">Final result per cell id, for the cells that were reached.</param>
/// <param name="StopReason">Null when the last worker finished; otherwise <see cref="CellStatus.Timeout"/> or <see cref="CellStatus.Crashed"/>, the
/// status of every graded cell that was never reached.</param>
internal sealed record IsolatedRun(IReadOnlyDictionary<string, IsolatedCellResult> Cells, CellStatus? StopReason);
