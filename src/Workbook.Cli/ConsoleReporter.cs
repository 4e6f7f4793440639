using System.Globalization;
using Workbook.Host.Notebooks;
using Workbook.Host.Running;
using Workbook.Host;

namespace Workbook.Cli;

/// <summary>Shows run progress: a live "notebook i/n, cell j/m" line on a terminal; one line per notebook
/// (and one per failure) when the output is redirected.</summary>
internal sealed class ConsoleReporter(TextWriter output, TextWriter error, bool interactive) : IRunReporter
{
    private string _current = "";
    private int _index;
    private int _count;

    public void NotebookStarted(int index, int count, string path)
    {
        _current = Path.GetFileName(path);
        _index = index;
        _count = count;
        if (interactive)
        {
            Live($"[{index}/{count}] {_current} starting kernel...");
        }
    }

    public void CellProgress(CellProgress progress)
    {
        if (interactive && !progress.Finished)
        {
            string line = TextLines.FirstLine(progress.FirstLine, maxLength: 50);
            Live($"[{_index}/{_count}] {_current} cell {progress.CodeCellNumber}/{progress.TotalCodeCells}: {line}");
        }
    }

    public void NotebookFinished(int index, int count, NotebookResult result, string? outputPath)
    {
        ClearLive();
        string seconds = result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (result.Succeeded)
        {
            output.WriteLine($"[{index}/{count}] ok     {Path.GetFileName(result.NotebookPath)} " +
                             $"({result.Cells.Count} cells, {seconds} s) -> {Relative(outputPath)}");
        }
        else
        {
            output.WriteLine($"[{index}/{count}] FAILED {Path.GetFileName(result.NotebookPath)} ({seconds} s) -> {Relative(outputPath)}");
            error.WriteLine("  " + result.FailureSummary);
            if (result.FirstFailure?.Error is { } e)
            {
                foreach (string line in TextLines.LinesAfterFirst(e.Message).Take(8))
                {
                    error.WriteLine("    " + line);
                }
            }
        }
    }

    public void NotebookFailedToLoad(int index, int count, string path, string message)
    {
        ClearLive();
        output.WriteLine($"[{index}/{count}] FAILED {Path.GetFileName(path)}: not run");
        error.WriteLine("  " + message);
    }

    public void Summary(BatchResult batch, string outDir)
    {
        int ok = batch.Results.Count(r => r.Succeeded);
        int failed = batch.Results.Count - ok + batch.LoadFailures.Count;
        output.WriteLine($"{ok} notebook(s) succeeded, {failed} failed; executed copies in {Relative(outDir)}");
    }

    private static string Relative(string? path) =>
        path is null ? "" : Path.GetRelativePath(Directory.GetCurrentDirectory(), path);

    private void Live(string text)
    {
        int width = Console.IsOutputRedirected ? 100 : Math.Max(20, SafeWidth() - 1);
        string shown = text.Length > width ? text[..width] : text;
        output.Write("\r" + shown.PadRight(width));
    }

    private void ClearLive()
    {
        if (interactive)
        {
            output.Write("\r" + new string(' ', Math.Max(20, SafeWidth() - 1)) + "\r");
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }
}
