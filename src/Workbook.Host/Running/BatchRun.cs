using Workbook.Host.Execution;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Running;

/// <summary>Receives progress of a batch of notebook runs.</summary>
public interface IRunReporter
{
    /// <summary>Notebook <paramref name="index"/> (1-based) of <paramref name="count"/> starts.</summary>
    void NotebookStarted(int index, int count, string path);

    /// <summary>A cell of the current notebook starts or finishes.</summary>
    void CellProgress(CellProgress progress);

    /// <summary>The current notebook finished; its executed copy is at <paramref name="outputPath"/>.</summary>
    void NotebookFinished(int index, int count, NotebookResult result, string? outputPath);

    /// <summary>A notebook could not be run at all (not a notebook, unreadable, or its worker process could not
    /// start).</summary>
    void NotebookFailedToLoad(int index, int count, string path, string message);
}

/// <summary>The outcome of a batch.</summary>
/// <param name="Results">One result per notebook that could be loaded.</param>
/// <param name="LoadFailures">Notebooks that could not be read, with the reason.</param>
public sealed record BatchResult(IReadOnlyList<NotebookResult> Results, IReadOnlyList<(string Path, string Message)> LoadFailures)
{
    /// <summary>True when every notebook loaded and ran without a failing cell.</summary>
    public bool Succeeded => LoadFailures.Count == 0 && Results.All(r => r.Succeeded);
}

/// <summary>Runs several notebooks one after another and writes their executed copies; a failing notebook
/// does not stop the others.</summary>
public static class BatchRun
{
    /// <summary>Runs <paramref name="paths"/> in order and writes each executed copy into
    /// <paramref name="outputDirectory"/> under the same file name, or the name <paramref name="outputNameFor"/> gives.</summary>
    public static async Task<BatchResult> RunAsync(IReadOnlyList<string> paths, string outputDirectory,
        IRunReporter reporter, NotebookRunOptions? options = null,
        Func<string, IpynbDocument, IpynbDocument>? prepare = null,
        Func<string, string>? outputNameFor = null,
        CancellationToken cancellationToken = default)
    {
        var runner = new NotebookRunner(options);
        var results = new List<NotebookResult>();
        var failures = new List<(string, string)>();
        var progress = new SyncProgress(reporter.CellProgress);
        for (int i = 0; i < paths.Count; i++)
        {
            string path = paths[i];
            reporter.NotebookStarted(i + 1, paths.Count, path);
            IpynbDocument document;
            try
            {
                document = IpynbDocument.Load(path);
                if (prepare is not null)
                {
                    document = prepare(path, document);
                }
            }
            catch (Exception e) when (e is NotebookFormatException or ArgumentException)
            {
                failures.Add((path, e.Message));
                reporter.NotebookFailedToLoad(i + 1, paths.Count, path, e.Message);
                continue;
            }

            NotebookResult result;
            try
            {
                result = await runner.RunAsync(document, path, progress, cancellationToken);
            }
            catch (WorkerStartException e)
            {
                // The tool's failure, not the notebook's: reported with the worker's own words, and nothing written.
                string message = "the notebook's worker process could not start its kernel: " + e.Message;
                failures.Add((path, message));
                reporter.NotebookFailedToLoad(i + 1, paths.Count, path, message);
                continue;
            }

            string name = outputNameFor?.Invoke(path) ?? Path.GetFileName(path);
            string outputPath = Path.Combine(outputDirectory, name);
            result.Executed.Save(outputPath);
            results.Add(result);
            reporter.NotebookFinished(i + 1, paths.Count, result, outputPath);
        }

        return new BatchResult(results, failures);
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports synchronously on the caller's thread.</summary>
    private sealed class SyncProgress(Action<CellProgress> report) : IProgress<CellProgress>
    {
        public void Report(CellProgress value) => report(value);
    }
}
