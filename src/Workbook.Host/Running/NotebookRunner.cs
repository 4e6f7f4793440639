using System.Diagnostics;
using Workbook.Host.Execution;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Running;

/// <summary>How a notebook is run.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Stop at the first failing cell (later cells are not run and keep no outputs). Default true,
    /// as papermill and nbclient do: a later cell usually depends on the failed one.</summary>
    public bool StopOnError { get; init; } = true;

    /// <summary>Wall-clock limit per cell; null for none. A cell over the limit fails with a TimeoutError and is
    /// stopped: its worker process is ended.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>GC heap limit of the notebook's worker process in bytes; null for none.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>How the worker process is started; null for <see cref="WorkerLauncher.Default"/>.</summary>
    public WorkerLauncher? Launcher { get; init; }
}

/// <summary>Progress of a notebook run, reported per cell.</summary>
/// <param name="CodeCellNumber">1-based number of the code cell.</param>
/// <param name="TotalCodeCells">How many code cells the notebook has.</param>
/// <param name="FirstLine">The first non-blank line of the cell's source (<see cref="TextLines.FirstLine"/>).</param>
/// <param name="Finished">False when the cell starts, true when it has finished.</param>
/// <param name="Succeeded">Whether the finished cell succeeded (false while running).</param>
public sealed record CellProgress(int CodeCellNumber, int TotalCodeCells, string FirstLine, bool Finished, bool Succeeded);

/// <summary>Runs a notebook's code cells in order in a fresh kernel in its own worker process
/// (<see cref="WorkerExecutor"/>) and collects what each produced: standard output and error, displayed values (all
/// MIME types), the return value, and errors.</summary>
/// <remarks>The worker's current directory is the notebook's folder, so relative paths in the notebook resolve
/// against it; this process's current directory is never changed, so notebooks can run in parallel. A cell past its
/// time limit is stopped for real (its worker is ended), and a cell that ends the worker (<c>Environment.Exit</c>, a
/// stack overflow) fails with the worker's exit code and last standard-error lines; neither touches the next
/// notebook.</remarks>
public sealed class NotebookRunner
{
    /// <summary>Creates a runner with the given options (defaults when null).</summary>
    public NotebookRunner(NotebookRunOptions? options = null)
    {
        Options = options ?? new NotebookRunOptions();
    }

    /// <summary>The options of this runner.</summary>
    public NotebookRunOptions Options { get; }

    /// <summary>Loads and runs the notebook at <paramref name="path"/>.</summary>
    /// <exception cref="NotebookFormatException">The file is not a notebook.</exception>
    /// <exception cref="WorkerStartException">The worker process could not start its kernel.</exception>
    public Task<NotebookResult> RunAsync(string path, IProgress<CellProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(IpynbDocument.Load(path), path, progress, cancellationToken);

    /// <summary>Runs <paramref name="document"/> as if it were the file at <paramref name="path"/> (whose folder
    /// becomes the worker's current directory). The document itself is not modified.</summary>
    /// <exception cref="WorkerStartException">The worker process could not start its kernel.</exception>
    public async Task<NotebookResult> RunAsync(IpynbDocument document, string path,
        IProgress<CellProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var executed = document.Clone();
        executed.ClearOutputs();
        var codeCells = executed.Cells.Where(c => c.IsCode).ToList();
        var results = new List<CellResult>(codeCells.Count);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();

        await using var executor = await WorkerExecutor.StartAsync(new WorkerOptions
        {
            WorkingDirectory = directory,
            MemoryLimitBytes = Options.MemoryLimitBytes,
            Launcher = Options.Launcher,
        }, cancellationToken);
        int executionCount = 0;
        for (int k = 0; k < codeCells.Count; k++)
        {
            var cell = codeCells[k];
            string source = cell.Source;
            string firstLine = TextLines.FirstLine(source);
            if (string.IsNullOrWhiteSpace(source))
            {
                results.Add(new CellResult(cell.Index, k + 1, source, [], true, TimeSpan.Zero));
                continue;
            }

            progress?.Report(new CellProgress(k + 1, codeCells.Count, firstLine, false, false));
            executionCount++;
            var cellClock = Stopwatch.StartNew();
            var outputs = await ExecuteAsync(executor, cell, source, executionCount, cancellationToken);
            bool ok = !outputs.OfType<ErrorOutput>().Any();
            var result = new CellResult(cell.Index, k + 1, source, outputs, ok, cellClock.Elapsed);
            results.Add(result);
            cell.SetOutputs(outputs, executionCount);
            progress?.Report(new CellProgress(k + 1, codeCells.Count, firstLine, true, ok));
            if (!ok && Options.StopOnError)
            {
                break;
            }
        }

        return new NotebookResult(Path.GetFullPath(path), results, codeCells.Count, executed, clock.Elapsed)
        {
            ChartImagesSkipped = executor.ChartImagesSkipped,
        };
    }

    private async Task<IReadOnlyList<CellOutput>> ExecuteAsync(ICellExecutor executor, NotebookCell cell, string source,
        int executionCount, CancellationToken cancellationToken)
    {
        if (cell.KernelName != "csharp")
        {
            return
            [
                new ErrorOutput("UnsupportedKernel",
                    $"this cell is written for the '{cell.KernelName}' kernel; the workbook host runs C# cells only",
                    []),
            ];
        }

        var collector = new OutputCollector();
        var outcome = await executor.ExecuteAsync(new CellRequest(source, executionCount, Options.CellTimeout),
            collector.Add, cancellationToken);
        // The saved notebook keeps the charts' static images, which arrive after the cell as display updates.
        await outcome.Settled.WaitAsync(cancellationToken);
        return collector.Outputs;
    }
}
