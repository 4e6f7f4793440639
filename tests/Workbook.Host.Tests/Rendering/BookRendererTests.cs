using System.Text.RegularExpressions;
using Workbook.Host.Notebooks;
using Workbook.Host.Rendering;
using Workbook.Host.Running;

namespace Workbook.Host.Tests.Rendering;

/// <summary>Executes the fixture notebooks once for the class: the LaTeX/parameters/two-charts fixture and the
/// plain one that succeeds.</summary>
public sealed class ExecutedFixtures : IDisposable
{
    public ExecutedFixtures()
    {
        var runner = new NotebookRunner();
        foreach (string name in new[] { "parameters-latex.ipynb", "succeeds.ipynb" })
        {
            var result = runner.RunAsync(Fixture.Path(name)).GetAwaiter().GetResult();
            Assert.True(result.Succeeded, result.FailureSummary);
            string path = System.IO.Path.Combine(Directory, name);
            result.Executed.Save(path);
            Paths.Add(path);
        }
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("workbook-book-").FullName;

    public List<string> Paths { get; } = [];

    public string Charts => Paths[0];

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public sealed partial class BookRendererTests(ExecutedFixtures executed) : IClassFixture<ExecutedFixtures>
{
    private const int ChartsInFixture = 2;

    [FactNeedsPython("nbformat")]
    public void The_executed_notebook_is_valid_nbformat_4_5()
    {
        var (code, stdout, stderr) = ExternalClient.Run(ExternalClient.Python,
        [
            "-c",
            "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); " +
            "print(nb.nbformat, nb.nbformat_minor)",
            executed.Charts,
        ], TimeSpan.FromSeconds(60));

        Assert.True(code == 0, stderr);
        Assert.Equal("4 5", stdout.Trim());
    }

    [FactNeedsChromium]
    public void Every_chart_output_carries_interactive_html_and_a_static_png()
    {
        var doc = IpynbDocument.Load(executed.Charts);
        var charts = doc.Cells.SelectMany(c => c.IsCode ? c.OutputsJson : [])
            .Where(o => o?["data"]?["text/html"]?.ToJsonString().Contains(ChartFormatting.ChartClass) == true)
            .ToList();

        Assert.Equal(ChartsInFixture, charts.Count);
        foreach (var chart in charts)
        {
            string png = chart!["data"]!["image/png"]!.GetValue<string>();
            Assert.StartsWith("iVBORw0KGgo", png);
        }
    }

    [FactNeedsNbconvertAndChromium]
    public void Nbconvert_html_of_the_executed_notebook_draws_every_chart_offline()
    {
        string outDir = Path.Combine(executed.Directory, "nbconvert");
        var (code, _, stderr) = ExternalClient.Run(Clients.Jupyter,
            ["nbconvert", "--to", "html", "--output-dir", outDir, executed.Charts], TimeSpan.FromSeconds(120));
        Assert.True(code == 0, stderr);

        string dom = Clients.DumpDom(Path.Combine(outDir, "parameters-latex.html"));

        AssertChartsDrawn(dom, ChartsInFixture);
    }

    [FactNeedsChromium]
    public void Book_pages_draw_every_chart_and_render_the_maths_offline()
    {
        string book = Path.Combine(executed.Directory, "book");
        var pages = BookRenderer.Render(executed.Paths, book);

        Assert.True(File.Exists(Path.Combine(book, "assets", "plotly.min.js")));
        Assert.True(File.Exists(Path.Combine(book, "assets", "katex", "LICENSE")));
        string html = File.ReadAllText(Path.Combine(book, pages[0].FileName));
        Assert.DoesNotContain(ChartFormatting.PlotlyScriptId, html);
        Assert.Contains("<script src=\"assets/plotly.min.js\"></script>", html);

        string dom = Clients.DumpDom(Path.Combine(book, pages[0].FileName));
        AssertChartsDrawn(dom, ChartsInFixture);
        Assert.True(Count(dom, "class=\"katex\"") >= 3, "inline and display maths rendered by KaTeX");
        Assert.Contains("katex-display", dom);
        Assert.DoesNotContain("$$", dom);
        Assert.DoesNotContain("math-error", dom);

        string second = Clients.DumpDom(Path.Combine(book, pages[1].FileName));
        Assert.Contains("hello from stdout", second);
        Assert.Contains("a displayed value", second);
    }

    [Fact]
    public void The_index_lists_the_notebooks_in_order_with_their_titles_and_pages_link_to_each_other()
    {
        string book = Path.Combine(executed.Directory, "book-links");
        var pages = BookRenderer.Render(executed.Paths, book);

        Assert.Equal(["Parameters, LaTeX and two charts", "A notebook that succeeds"], pages.Select(p => p.Title));
        string index = File.ReadAllText(Path.Combine(book, BookRenderer.IndexFileName));
        Assert.True(index.IndexOf("parameters-latex.html", StringComparison.Ordinal) <
                    index.IndexOf("succeeds.html", StringComparison.Ordinal));
        Assert.Contains(">Parameters, LaTeX and two charts</a>", index);
        string first = File.ReadAllText(Path.Combine(book, "parameters-latex.html"));
        string last = File.ReadAllText(Path.Combine(book, "succeeds.html"));
        Assert.Contains("rel=\"next\" href=\"succeeds.html\"", first);
        Assert.DoesNotContain("rel=\"prev\"", first);
        Assert.Contains("rel=\"prev\" href=\"parameters-latex.html\"", last);
        Assert.Contains("<strong>bold</strong>", first);
        Assert.Contains("N=1000 scale=0.5", first);
    }

    [Fact]
    public void The_index_says_what_the_workbook_is_and_how_to_read_rerun_and_assign_it()
    {
        string book = Path.Combine(executed.Directory, "book-front");
        BookRenderer.Render(executed.Paths, book);
        string index = File.ReadAllText(Path.Combine(book, BookRenderer.IndexFileName));

        Assert.Contains("A course in C# notebooks", index);
        foreach (string use in new[] { "<dt>Read</dt>", "<dt>Rerun</dt>", "<dt>Assign</dt>" })
        {
            Assert.Contains(use, index);
        }

        Assert.Contains("dotnet run --project src/Workbook.Cli -- run", index);
        Assert.Contains("--set N=1000000", index);
        Assert.Contains("kernel install --user", index);
        Assert.Contains("assign SOURCE --out handout/", index);
        Assert.Contains("grade --assignment SOURCE", index);
        Assert.True(index.IndexOf("How to use it", StringComparison.Ordinal) < index.IndexOf("<ol class=\"lessons\">", StringComparison.Ordinal));
    }

    [Fact]
    public void The_index_gives_each_notebook_a_line_and_a_download_link_to_its_copy_in_the_book()
    {
        // One notebook with a summary in its metadata; the other falls back to its first paragraph.
        string withSummary = Path.Combine(executed.Directory, "summary", "succeeds.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(withSummary)!);
        var doc = IpynbDocument.Load(executed.Paths[1]);
        doc.Metadata["workbook"] = new System.Text.Json.Nodes.JsonObject { ["summary"] = "Prints to **both** streams; $n = 4$." };
        doc.Save(withSummary);
        string book = Path.Combine(executed.Directory, "book-download");

        var pages = BookRenderer.Render([executed.Charts, withSummary], book);

        Assert.Equal("A fixture for the book and for reruns. The entropy of $p$ is $H(p) = -\\sum_i p_i \\log p_i$.", pages[0].Summary);
        Assert.Equal("Prints to **both** streams; $n = 4$.", pages[1].Summary);
        string index = File.ReadAllText(Path.Combine(book, BookRenderer.IndexFileName));
        Assert.Contains("<span class=\"summary\">Prints to <strong>both</strong> streams; <span class=\"math\">\\(n = 4\\)</span>.</span>", index);
        Assert.Contains("A fixture for the book and for reruns.", index);
        foreach (var (page, source) in pages.Zip([executed.Charts, withSummary]))
        {
            Assert.Equal("notebooks/" + Path.GetFileName(source), page.NotebookFile);
            string copy = Path.Combine(book, page.NotebookFile);
            Assert.True(File.Exists(copy), copy);
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(copy));
            string link = $"download href=\"{page.NotebookFile}\"";
            Assert.Contains(link, index);
            Assert.Contains(link, File.ReadAllText(Path.Combine(book, page.FileName)));
        }
    }

    [Fact]
    public void Links_between_notebooks_of_the_book_point_at_their_pages()
    {
        string dir = Path.Combine(executed.Directory, "linked");
        Directory.CreateDirectory(dir);
        string first = Path.Combine(dir, "00_first.ipynb"), second = Path.Combine(dir, "01_second.ipynb");
        static string Notebook(string markdown) => new System.Text.Json.Nodes.JsonObject
        {
            ["nbformat"] = 4, ["nbformat_minor"] = 5, ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
            ["cells"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["cell_type"] = "markdown", ["id"] = "m", ["metadata"] = new System.Text.Json.Nodes.JsonObject(), ["source"] = markdown,
            }),
        }.ToJsonString();
        File.WriteAllText(first, Notebook("# First\n\n**Next:** [the second](01_second.ipynb), [its end](01_second.ipynb#end), [elsewhere](99_missing.ipynb)"));
        File.WriteAllText(second, Notebook("# Second\n\nBack to [the first](00_first.ipynb)."));

        BookRenderer.Render([first, second], Path.Combine(dir, "book"));

        string html = File.ReadAllText(Path.Combine(dir, "book", "00_first.html"));
        Assert.Contains("href=\"01_second.html\">the second</a>", html);
        Assert.Contains("href=\"01_second.html#end\">its end</a>", html);
        Assert.Contains("href=\"99_missing.ipynb\">elsewhere</a>", html);   // not in the book: left alone
        Assert.Contains("href=\"00_first.html\">the first</a>", File.ReadAllText(Path.Combine(dir, "book", "01_second.html")));
    }

    [Fact]
    public void Every_lesson_has_a_one_line_summary_for_the_index()
    {
        foreach (string lesson in WorkbookLayout.Find(AppContext.BaseDirectory).Lessons())
        {
            string? summary = BookRenderer.SummaryOf(IpynbDocument.Load(lesson));
            Assert.False(string.IsNullOrWhiteSpace(summary), Path.GetFileName(lesson));
            Assert.DoesNotContain('\n', summary);
        }
    }

    [Fact]
    public void Stripping_removes_only_the_inline_plotly_bundle()
    {
        var chart = Workbook.Charts.Plot.Line([1.0, 2.0], [3.0, 4.0], "a");
        string html = new ChartFormatting().ToHtml(chart);

        string stripped = BookRenderer.StripInlinePlotly(html);

        Assert.Contains(ChartFormatting.PlotlyScriptId, html);
        Assert.DoesNotContain(ChartFormatting.PlotlyScriptId, stripped);
        Assert.True(stripped.Length < 100_000, "the 3 MB bundle is gone");
        Assert.Contains("window.Plotly.newPlot", stripped);
    }

    private static void AssertChartsDrawn(string dom, int charts)
    {
        Assert.Equal(charts, Regex.Matches(dom, "class=\"[^\"]*\\bjs-plotly-plot\\b").Count);
        Assert.True(Count(dom, "class=\"main-svg\"") >= charts, "plotly drew its svg");
        Assert.True(Count(dom, "class=\"trace scatter") >= charts, "every chart has its traces");
    }

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;
}
