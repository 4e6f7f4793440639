using System.Text.Json.Nodes;

namespace Workbook.Cli.Tests;

/// <summary>Where <c>run</c> (with no notebook paths: every lesson, then the book) writes its results, in a small
/// checkout of its own: a Workbook.sln and one lesson that draws a chart.</summary>
public sealed class RunOutputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("workbook-checkout-").FullName;

    public RunOutputTests()
    {
        File.WriteAllText(Path.Combine(_root, "Workbook.sln"), "");
        string notebooks = Path.Combine(_root, "notebooks");
        Directory.CreateDirectory(notebooks);
        File.WriteAllText(Path.Combine(notebooks, "00_tiny.ipynb"), TinyLesson());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A lesson with a heading, a number and a chart.</summary>
    private static string TinyLesson()
    {
        static JsonObject Code(string id, string source) => new()
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = id, ["metadata"] = new JsonObject(),
            ["outputs"] = new JsonArray(), ["source"] = source,
        };
        return new JsonObject
        {
            ["nbformat"] = 4, ["nbformat_minor"] = 5, ["metadata"] = new JsonObject(),
            ["cells"] = new JsonArray(
                new JsonObject
                {
                    ["cell_type"] = "markdown", ["id"] = "m", ["metadata"] = new JsonObject(), ["source"] = "# A tiny lesson",
                },
                Code("a", "using Workbook.Charts;\n1 + 1"),
                Code("b", "Plot.Line(new double[] { 0, 1 }, new double[] { 1, 0 }, \"line\")")),
        }.ToJsonString();
    }

    private List<string> FilesUnder(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Run_with_out_writes_the_executed_copies_and_the_book_only_under_that_folder()
    {
        var before = FilesUnder(_root);

        var r = CliRunner.Run(_root, "run", "--out", "results");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        var written = FilesUnder(_root).Except(before).ToList();
        Assert.NotEmpty(written);
        Assert.All(written, f => Assert.StartsWith("results/", f));
        Assert.Contains("results/00_tiny.ipynb", written);
        Assert.Contains("results/book/index.html", written);
        Assert.Contains("results/book/00_tiny.html", written);
        Assert.False(Directory.Exists(Path.Combine(_root, "artifacts")), "nothing goes to artifacts/ when --out is given");
    }

    [Fact]
    public void Run_without_out_writes_the_executed_copies_and_the_book_under_artifacts()
    {
        var before = FilesUnder(_root);

        var r = CliRunner.Run(_root, "run");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        var written = FilesUnder(_root).Except(before).ToList();
        Assert.All(written, f => Assert.StartsWith("artifacts/", f));
        Assert.Contains("artifacts/notebooks/00_tiny.ipynb", written);
        Assert.Contains("artifacts/book/index.html", written);
    }

    [Fact]
    public void Without_chromium_the_note_gives_the_install_advice_once()
    {
        var r = CliRunner.RunWith(new Dictionary<string, string> { ["WORKBOOK_CHROMIUM"] = Path.Combine(_root, "no-chromium") },
            _root, "run", "--out", "results");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("static chart images (image/png) were skipped for 1 chart(s)", r.StdErr);
        Assert.Equal(1, Occurrences(r.StdErr, "apt-get install chromium"));
    }

    [Theory]
    [InlineData("chromium was not found (looked at WORKBOOK_CHROMIUM); install it with: apt-get install chromium")]
    [InlineData("chromium did not start: Failed to launch the browser process")]
    public void The_chart_images_note_says_why_and_how_to_install_exactly_once(string reason)
    {
        string note = RunNotes.ChartImagesSkipped(reason, 3);

        Assert.StartsWith("note: static chart images (image/png) were skipped for 3 chart(s): ", note);
        Assert.Contains(reason.TrimEnd('.'), note);
        Assert.Equal(1, Occurrences(note, "apt-get install chromium"));
        Assert.Contains("The interactive HTML charts are unaffected.", note);
    }

    private static int Occurrences(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
