using System.CommandLine;
using Workbook.Host;

namespace Workbook.Cli;

/// <summary><c>run [PATHS...] [--out DIR]</c>: executes notebooks and writes executed copies.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Notebooks to run (default: every lesson in notebooks/, in order).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Folder for the executed copies (default: artifacts/notebooks).",
        };
        var timeout = new Option<double?>("--cell-timeout")
        {
            Description = "Seconds a cell may run before it is stopped (default: no limit).",
        };
        var command = new Command("run", "Execute notebooks and write executed copies with their outputs.")
        {
            paths, output, timeout,
        };
        command.SetAction((parse, cancel) => ExecuteAsync(
            parse.GetValue(paths) ?? [], parse.GetValue(output), parse.GetValue(timeout), cancel));
        return command;
    }

    private static async Task<int> ExecuteAsync(string[] paths, string? output, double? timeoutSeconds,
        CancellationToken cancel)
    {
        var console = new ConsoleReporter(Console.Out, Console.Error, !Console.IsOutputRedirected);
        if (timeoutSeconds is <= 0 or double.NaN)
        {
            Console.Error.WriteLine($"error: --cell-timeout is {timeoutSeconds}, expected a number of seconds > 0");
            return 2;
        }

        List<string> notebooks;
        string outDir;
        try
        {
            notebooks = ResolveNotebooks(paths, out WorkbookLayout? layout);
            outDir = Path.GetFullPath(output ?? (layout ?? WorkbookLayout.Find()).ExecutedNotebooksDirectory);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }

        var options = new NotebookRunOptions
        {
            CellTimeout = timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
        };
        var batch = await BatchRun.RunAsync(notebooks, outDir, console, options, cancellationToken: cancel);
        console.Summary(batch, outDir);
        return batch.Succeeded ? 0 : 1;
    }

    /// <summary>The notebooks named on the command line (files or folders), or every lesson.</summary>
    internal static List<string> ResolveNotebooks(string[] paths, out WorkbookLayout? layout)
    {
        layout = null;
        if (paths.Length == 0)
        {
            layout = WorkbookLayout.Find();
            var lessons = layout.Lessons();
            if (lessons.Count == 0)
            {
                throw new FileNotFoundException($"no lessons (NN_name.ipynb) in {layout.NotebooksDirectory}");
            }

            return lessons.ToList();
        }

        var result = new List<string>();
        foreach (string p in paths)
        {
            if (Directory.Exists(p))
            {
                result.AddRange(Directory.EnumerateFiles(p, "*.ipynb").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(p))
            {
                result.Add(Path.GetFullPath(p));
            }
            else
            {
                throw new FileNotFoundException($"notebook '{p}' does not exist");
            }
        }

        return result;
    }
}
