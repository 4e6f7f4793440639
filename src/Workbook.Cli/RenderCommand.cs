using System.CommandLine;
using Workbook.Host.Notebooks;
using Workbook.Host.Running;
using Workbook.Host;
using Workbook.Host.Rendering;

namespace Workbook.Cli;

/// <summary><c>render [NOTEBOOKS...] [--out DIR]</c>: renders executed notebooks as the HTML book.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks")
        {
            Description = "Executed notebooks or folders to render (default: the lessons in artifacts/notebooks, in order).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Folder for the book (default: artifacts/book).",
        };
        var trust = new Option<bool>("--trust")
        {
            Description = "Show the HTML and JavaScript outputs of the NOTEBOOKS given live (only for notebooks you or " +
                          "`run` executed; without it they are shown by their image or text form, as for a student's).",
        };
        var command = new Command("render", "Render executed notebooks as an HTML book that reads offline.")
        {
            paths, output, trust,
        };
        command.SetAction(parse => Execute(parse.GetValue(paths) ?? [], parse.GetValue(output), parse.GetValue(trust)));
        return command;
    }

    private static int Execute(string[] paths, string? output, bool trust)
    {
        try
        {
            List<string> notebooks;
            WorkbookLayout? layout = null;
            if (paths.Length == 0)
            {
                layout = WorkbookLayout.Find();
                string executed = layout.ExecutedNotebooksDirectory;
                notebooks = Directory.Exists(executed)
                    ? Directory.EnumerateFiles(executed, "*.ipynb")
                        .Where(p => WorkbookLayout.IsLessonName(Path.GetFileName(p)))
                        .Order(StringComparer.Ordinal).ToList()
                    : [];
                if (notebooks.Count == 0)
                {
                    Console.Error.WriteLine($"error: no executed lessons in {executed}; run `workbook run` first");
                    return 2;
                }
            }
            else
            {
                notebooks = RunCommand.ResolveNotebooks(paths, out _);
            }

            string outDir = Path.GetFullPath(output ?? (layout ?? WorkbookLayout.Find()).BookDirectory);
            // The lessons `run` executed are the workbook's own; notebooks named on the command line may be anyone's.
            Write(notebooks, outDir, trustOutputs: paths.Length == 0 || trust);
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or NotebookFormatException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }

    /// <summary>Renders the book and says where it is.</summary>
    internal static void Write(IReadOnlyList<string> notebooks, string outDir, bool trustOutputs = true)
    {
        var pages = BookRenderer.Render(notebooks, outDir, trustOutputs);
        Console.Out.WriteLine($"book: {pages.Count} page(s) -> " +
                              Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(outDir, BookRenderer.IndexFileName)));
    }
}
