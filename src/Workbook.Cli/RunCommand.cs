using System.CommandLine;
using Workbook.Host.Notebooks;
using Workbook.Host.Running;
using Workbook.Host;
using Workbook.Host.Parameters;

namespace Workbook.Cli;

/// <summary><c>run [PATHS...] [--out DIR] [--set NAME=VALUE ...] [--list-parameters]</c>: executes notebooks
/// and writes executed copies; with no paths it also renders the HTML book.</summary>
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
            Description = "Folder for everything run writes: the executed copies, and the book in DIR/book " +
                          "(default: artifacts/notebooks and artifacts/book).",
        };
        var timeout = new Option<double?>("--cell-timeout")
        {
            Description = "Seconds a cell may run before it is stopped (default: no limit).",
        };
        var memory = new Option<double?>("--memory-limit")
        {
            Description = "MiB of GC heap each notebook's worker process may use (default: no limit).",
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a parameter of the notebook's parameters cell, e.g. --set N=1000000 --set p=0.5,0.5.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var listParameters = new Option<bool>("--list-parameters")
        {
            Description = "Print each notebook's parameters with their types and defaults, and run nothing.",
        };
        var answers = new Option<bool>("--answers")
        {
            Description = "With no paths: also run the instructor's answer keys (notebooks/answers), each after its lesson, and put them in the book.",
        };
        var command = new Command("run", "Execute notebooks and write executed copies with their outputs.")
        {
            paths, output, timeout, memory, set, listParameters, answers,
        };
        command.SetAction((parse, cancel) => ExecuteAsync(
            parse.GetValue(paths) ?? [], parse.GetValue(output), parse.GetValue(timeout),
            parse.GetValue(set) ?? [], parse.GetValue(listParameters), parse.GetValue(answers), cancel,
            parse.GetValue(memory)));
        return command;
    }

    private static async Task<int> ExecuteAsync(string[] paths, string? output, double? timeoutSeconds,
        string[] assignments, bool listParameters, bool answers, CancellationToken cancel, double? memoryMiB = null)
    {
        var console = new ConsoleReporter(Console.Out, Console.Error, !Console.IsOutputRedirected);
        if (timeoutSeconds is <= 0 or double.NaN)
        {
            Console.Error.WriteLine($"error: --cell-timeout is {timeoutSeconds}, expected a number of seconds > 0");
            return 2;
        }

        if (memoryMiB is not null && !(memoryMiB >= 1 && memoryMiB <= 1 << 30))
        {
            Console.Error.WriteLine($"error: --memory-limit is {memoryMiB}, expected a number of MiB from 1 to {1 << 30}");
            return 2;
        }

        List<string> notebooks;
        string outDir, bookDir;
        try
        {
            notebooks = ResolveNotebooks(paths, out WorkbookLayout? layout, answers);
            (outDir, bookDir) = WorkbookLayout.RunOutputs(output, layout);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }

        if (listParameters)
        {
            return ListParameters(notebooks);
        }

        ParameterOverrides overrides;
        try
        {
            // Every override is checked against every notebook before any cell runs.
            overrides = ParameterOverrides.Parse(assignments);
            if (!overrides.IsEmpty)
            {
                foreach (string notebook in notebooks)
                {
                    overrides.InjectedSource(IpynbDocument.Load(notebook), Path.GetFileName(notebook));
                }
            }
        }
        catch (Exception e) when (e is ParameterException or NotebookFormatException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }

        var options = new NotebookRunOptions
        {
            CellTimeout = timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            MemoryLimitBytes = memoryMiB is { } mib ? (long)(mib * (1 << 20)) : null,
        };
        var batch = await BatchRun.RunAsync(notebooks, outDir, console, options,
            prepare: (path, doc) => overrides.ApplyTo(doc, Path.GetFileName(path)),
            outputNameFor: overrides.FileNameFor,
            cancellationToken: cancel);
        console.Summary(batch, outDir);
        if (paths.Length == 0)
        {
            // The main command also writes the book (artifacts/book, or DIR/book with --out DIR).
            var executed = notebooks.Select(n => Path.Combine(outDir, overrides.FileNameFor(n))).Where(File.Exists).ToList();
            try
            {
                RenderCommand.Write(executed, bookDir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotebookFormatException)
            {
                Console.Error.WriteLine("error: the book could not be written: " + e.Message);
                return 1;
            }
        }
        int skipped = batch.Results.Sum(r => r.ChartImagesSkipped.Count);
        if (batch.Results.Select(r => r.ChartImagesSkipped.Reason).FirstOrDefault(r => r is not null) is { } why)
        {
            Console.Error.WriteLine(RunNotes.ChartImagesSkipped(why, skipped));
        }

        return batch.Succeeded ? 0 : 1;
    }

    private static int ListParameters(List<string> notebooks)
    {
        int code = 0;
        foreach (string notebook in notebooks)
        {
            ParametersCell? cell;
            try
            {
                cell = ParametersCell.Find(IpynbDocument.Load(notebook));
            }
            catch (Exception e) when (e is NotebookFormatException or ParameterException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                code = 2;
                continue;
            }

            string name = Path.GetFileName(notebook);
            if (cell is null)
            {
                Console.Out.WriteLine($"{name}: no cell tagged '{ParametersCell.Tag}'; nothing to set");
                continue;
            }

            Console.Out.WriteLine($"{name}: parameters (cell {cell.CellIndex + 1}); override with --set NAME=VALUE");
            int width = cell.Parameters.Select(p => p.Name.Length).DefaultIfEmpty(4).Max();
            int typeWidth = cell.Parameters.Select(p => p.Type.CSharpName.Length).DefaultIfEmpty(4).Max();
            int defaultWidth = cell.Parameters.Select(p => p.DefaultSource.Length).DefaultIfEmpty(4).Max();
            foreach (var p in cell.Parameters)
            {
                string line = $"  {p.Name.PadRight(width)}  {p.Type.CSharpName.PadRight(typeWidth)}  = {p.DefaultSource}";
                if (cell.Domains?.Domains.FirstOrDefault(d => d.Name == p.Name) is { } domain)
                {
                    line = line.PadRight(width + typeWidth + defaultWidth + 10) + "  domain: " + domain.Rule;
                }
                else if (cell.Domains is not null)
                {
                    line += "  (no declared domain)";
                }

                Console.Out.WriteLine(line);
            }
        }

        return code;
    }

    /// <summary>The notebooks named on the command line (files or folders), or every lesson; with
    /// <paramref name="answers"/> and no paths, each lesson's answer key right after it.</summary>
    internal static List<string> ResolveNotebooks(string[] paths, out WorkbookLayout? layout, bool answers = false)
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

            if (!answers)
            {
                return lessons.ToList();
            }

            var keys = layout.AnswerKeys();
            return lessons.SelectMany(lesson => keys
                    .Where(k => WorkbookLayout.AnswerKeyLesson(Path.GetFileName(k)) == Path.GetFileName(lesson))
                    .Prepend(lesson))
                .ToList();
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
