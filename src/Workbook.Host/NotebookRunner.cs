using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace Workbook.Host;

/// <summary>How a notebook is run.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Stop at the first failing cell (later cells are not run and keep no outputs). Default true,
    /// as papermill and nbclient do: a later cell usually depends on the failed one.</summary>
    public bool StopOnError { get; init; } = true;

    /// <summary>Wall-clock limit per cell; null for none. A cell over the limit fails with a TimeoutError.</summary>
    public TimeSpan? CellTimeout { get; init; }
}

/// <summary>Progress of a notebook run, reported per cell.</summary>
/// <param name="CodeCellNumber">1-based number of the code cell.</param>
/// <param name="TotalCodeCells">How many code cells the notebook has.</param>
/// <param name="FirstLine">The first line of the cell's source.</param>
/// <param name="Finished">False when the cell starts, true when it has finished.</param>
/// <param name="Succeeded">Whether the finished cell succeeded (false while running).</param>
public sealed record CellProgress(int CodeCellNumber, int TotalCodeCells, string FirstLine, bool Finished, bool Succeeded);

/// <summary>Runs a notebook's code cells in order in a fresh <see cref="WorkbookKernel"/> and collects what each
/// produced: standard output and error, displayed values (all MIME types), the return value, and errors.</summary>
/// <remarks>A run sets the process's current directory to the notebook's folder (so relative paths in the
/// notebook resolve against it) and restores it afterwards. The current directory is process-wide, so runs in one
/// process are serialized.</remarks>
public sealed class NotebookRunner
{
    private static readonly SemaphoreSlim ProcessWideGate = new(1, 1);

    /// <summary>Creates a runner with the given options (defaults when null).</summary>
    public NotebookRunner(NotebookRunOptions? options = null)
    {
        Options = options ?? new NotebookRunOptions();
    }

    /// <summary>The options of this runner.</summary>
    public NotebookRunOptions Options { get; }

    /// <summary>Loads and runs the notebook at <paramref name="path"/>.</summary>
    /// <exception cref="NotebookFormatException">The file is not a notebook.</exception>
    public Task<NotebookResult> RunAsync(string path, IProgress<CellProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(IpynbDocument.Load(path), path, progress, cancellationToken);

    /// <summary>Runs <paramref name="document"/> as if it were the file at <paramref name="path"/> (whose folder
    /// becomes the current directory). The document itself is not modified.</summary>
    public async Task<NotebookResult> RunAsync(IpynbDocument document, string path,
        IProgress<CellProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var executed = document.Clone();
        executed.ClearOutputs();
        var codeCells = executed.Cells.Where(c => c.IsCode).ToList();
        var results = new List<CellResult>(codeCells.Count);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();

        await ProcessWideGate.WaitAsync(cancellationToken);
        string previousDirectory = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(directory);
            using var kernel = await WorkbookKernel.CreateAsync(cancellationToken);
            int executionCount = 0;
            for (int k = 0; k < codeCells.Count; k++)
            {
                var cell = codeCells[k];
                string source = cell.Source;
                string firstLine = FirstLine(source);
                if (string.IsNullOrWhiteSpace(source))
                {
                    results.Add(new CellResult(cell.Index, k + 1, source, [], true, TimeSpan.Zero));
                    continue;
                }

                progress?.Report(new CellProgress(k + 1, codeCells.Count, firstLine, false, false));
                executionCount++;
                var cellClock = Stopwatch.StartNew();
                var outputs = await ExecuteAsync(kernel, cell, source, executionCount, cancellationToken);
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
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
            ProcessWideGate.Release();
        }

        return new NotebookResult(Path.GetFullPath(path), results, codeCells.Count, executed, clock.Elapsed);
    }

    private async Task<List<CellOutput>> ExecuteAsync(Kernel kernel, NotebookCell cell, string source,
        int executionCount, CancellationToken cancellationToken)
    {
        if (cell.KernelName is not ("csharp" or "c#" or "C#"))
        {
            return
            [
                new ErrorOutput("UnsupportedKernel",
                    $"this cell is written for the '{cell.KernelName}' kernel; the workbook host runs C# cells only",
                    []),
            ];
        }

        using var timeout = Options.CellTimeout is { } limit
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : null;
        if (timeout is not null)
        {
            timeout.CancelAfter(Options.CellTimeout!.Value);
        }

        var token = timeout?.Token ?? cancellationToken;
        KernelCommandResult result;
        try
        {
            result = await kernel.SendAsync(new SubmitCode(source), token).WaitAsync(token);
        }
        catch (OperationCanceledException) when (timeout is not null && !cancellationToken.IsCancellationRequested)
        {
            return
            [
                new ErrorOutput("TimeoutError",
                    $"the cell did not finish within {Options.CellTimeout!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
                    []),
            ];
        }

        return KernelEventMapper.ToOutputs(result.Events, executionCount);
    }

    internal static string FirstLine(string source) =>
        source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
}
