using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbook.Cli.Tests;

/// <summary><c>grade</c> in the bubblewrap sandbox against a class whose submissions attack the grader from outside
/// the sandbox: malformed notebooks, links (dangling, to <c>/etc/passwd</c>, <c>/proc/self/cmdline</c>,
/// <c>/dev/zero</c>, a classmate's folder, the instructor's source), a named pipe, a huge file, a cell that carries a
/// test cell's id, file names that are formulas, HTML or paths, HTML outputs, and an answer whose signature breaks a
/// hidden test. The run ends, every honest student gets exactly their grades, and nothing outside a submission or live
/// reaches the instructor's files.</summary>
public sealed partial class HostileSubmissionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-hostile-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
    }

    private static string Source => Path.Combine(CliRunner.Root, "notebooks", "homework", "hw01_entropy-and-log-softmax.ipynb");

    private static string Fixture(string name) =>
        Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Grading", "Fixtures", "hw01", name);

    private static JsonObject Load(string name) => JsonNode.Parse(File.ReadAllText(Fixture(name)))!.AsObject();

    private static JsonArray Cells(JsonObject notebook) => notebook["cells"]!.AsArray();

    private static void Save(JsonObject notebook, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, notebook.ToJsonString());
    }

    private static JsonObject CodeCell(string id, string source) => new()
    {
        ["cell_type"] = "code",
        ["id"] = id,
        ["metadata"] = new JsonObject(),
        ["execution_count"] = null,
        ["outputs"] = new JsonArray(),
        ["source"] = source,
    };

    /// <summary>The solution with <paramref name="extra"/> added as the last cell.</summary>
    private static JsonObject SolutionWith(string extra)
    {
        var nb = Load("solution.ipynb");
        Cells(nb).Add(CodeCell("added", extra));
        return nb;
    }

    private static string AnswerSource(JsonObject notebook, string id) =>
        string.Concat(Cells(notebook).Single(c => c!["id"]!.GetValue<string>() == id)!["source"]!.AsArray().Select(l => l!.GetValue<string>()));

    private static void SetSource(JsonObject notebook, string id, string source) =>
        Cells(notebook).Single(c => c!["id"]!.GetValue<string>() == id)!["source"] = source;

    /// <summary>Lines of the source's hidden tests that appear nowhere else in the source.</summary>
    private static List<string> HiddenTestLines()
    {
        var cells = JsonNode.Parse(File.ReadAllText(Source))!["cells"]!.AsArray()
            .Select(c => string.Concat(c!["source"]!.AsArray().Select(l => l!.GetValue<string>())))
            .ToList();
        string outside = string.Join("\n", cells.Select(c => HiddenBlock().Replace(c, "")));
        return cells
            .SelectMany(c => HiddenBlock().Matches(c))
            .SelectMany(m => m.Groups[1].Value.Split('\n').Select(l => l.Trim()))
            .Where(l => l.Length > 12 && !outside.Contains(l, StringComparison.Ordinal))
            .ToList();
    }

    [GeneratedRegex(@"// BEGIN HIDDEN TESTS\n(.*?)// END HIDDEN TESTS", RegexOptions.Singleline)]
    private static partial Regex HiddenBlock();

    /// <summary>The rows of a grades.csv, by student (the first field, unquoted).</summary>
    private static Dictionary<string, string[]> RowsByStudent(string csv) =>
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .GroupBy(l => Fields(l)[0])
            .ToDictionary(g => g.Key, g => g.ToArray());

    /// <summary>The fields of one CSV line (RFC 4180 quoting; no line breaks inside fields here).</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    [FactNeedsSandbox]
    public void A_hostile_class_is_graded_to_the_end_and_nothing_outside_a_submission_or_live_reaches_the_instructor()
    {
        string handins = Path.Combine(_dir, "handins");
        Directory.CreateDirectory(handins);
        string secret = Path.Combine(_dir, "instructor-secret.txt");
        File.WriteAllText(secret, "INSTRUCTOR-ONLY-7f3a");

        // Honest students, whose grades must come out exactly as in the hw01 fixture.
        File.Copy(Fixture("solution.ipynb"), Path.Combine(handins, "solution.ipynb"));
        File.Copy(Fixture("partial.ipynb"), Path.Combine(handins, "partial.ipynb"));

        // Malformed notebooks: a source that is a number, metadata that is an array.
        var numberSource = Load("solution.ipynb");
        Cells(numberSource)[1]!["source"] = 42;
        Save(numberSource, Path.Combine(handins, "number-source.ipynb"));
        var arrayMetadata = Load("solution.ipynb");
        Cells(arrayMetadata)[2]!["metadata"] = new JsonArray(1, 2);
        Save(arrayMetadata, Path.Combine(handins, "array-metadata.ipynb"));

        // Folders with a correct notebook and everything a folder can hold besides.
        string links = Path.Combine(handins, "links");
        Directory.CreateDirectory(links);
        var snoop = SolutionWith("""
            foreach (var f in new[] { "passwd", "cmdline", "classmate", "source.ipynb", "secret.txt", "zero", "pipe", "dangling" })
                Console.WriteLine(f + ": " + (System.IO.File.Exists(f) || System.IO.Directory.Exists(f) ? System.IO.File.ReadAllText(f) : "absent"));
            """);
        Save(snoop, Path.Combine(links, "hw01_entropy-and-log-softmax.ipynb"));
        File.CreateSymbolicLink(Path.Combine(links, "passwd"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(links, "cmdline"), "/proc/self/cmdline");
        File.CreateSymbolicLink(Path.Combine(links, "zero"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(links, "dangling"), Path.Combine(_dir, "nowhere"));
        File.CreateSymbolicLink(Path.Combine(links, "source.ipynb"), Source);
        File.CreateSymbolicLink(Path.Combine(links, "secret.txt"), secret);
        Directory.CreateSymbolicLink(Path.Combine(links, "classmate"), Path.Combine(handins, "partial-folder"));
        Directory.CreateDirectory(Path.Combine(handins, "partial-folder"));
        File.Copy(Fixture("partial.ipynb"), Path.Combine(handins, "partial-folder", "hw01_entropy-and-log-softmax.ipynb"));
        Assert.Equal(0, ExternalClient.Run("mkfifo", [Path.Combine(links, "pipe")], TimeSpan.FromSeconds(10)).ExitCode);
        // A file past the intake's byte limit (sparse: it takes no disk).
        using (var big = File.Create(Path.Combine(links, "big.bin")))
        {
            big.SetLength(1L << 30);
        }

        // A notebook that is itself a link to the instructor's source, and a dangling link as a submission.
        File.CreateSymbolicLink(Path.Combine(handins, "linked.ipynb"), Source);
        File.CreateSymbolicLink(Path.Combine(handins, "gone.ipynb"), Path.Combine(_dir, "nowhere.ipynb"));

        // An added cell carrying the id (and the nbgrader block) of each test cell it precedes, no answer written.
        var idTrick = Load("untouched.ipynb");
        var cells = Cells(idTrick);
        foreach (string test in (string[])["test-entropy", "test-cross-entropy", "test-log-softmax", "test-sampling"])
        {
            int at = cells.ToList().FindIndex(c => c!["id"]!.GetValue<string>() == test);
            var fake = CodeCell(test, "// nothing to see");
            fake["metadata"] = cells[at]!["metadata"]!.DeepClone();
            cells.Insert(at, fake);
        }

        Save(idTrick, Path.Combine(handins, "id-trick.ipynb"));

        // Names that are formulas, HTML or paths; an HTML output; an exception message with a script.
        File.Copy(Fixture("solution.ipynb"), Path.Combine(handins, "=2+3.ipynb"));
        File.Copy(Fixture("solution.ipynb"), Path.Combine(handins, "@SUM(2,3).ipynb"));
        File.Copy(Fixture("solution.ipynb"), Path.Combine(handins, "...ipynb"));
        var html = SolutionWith("""
            "<img src=x onerror=alert(1)><script>alert(2)</script>".DisplayAs("text/html");
            """);
        var throwing = AnswerSource(html, "entropy").Replace("double h = 0;", "double h = 0; if (p.Length > 0) throw new Exception(\"<script>alert(3)</script>\");", StringComparison.Ordinal);
        SetSource(html, "entropy", throwing);
        Save(html, Path.Combine(handins, "<img src=x onerror=alert(4)>.ipynb"));

        // An answer with another signature: the hidden test does not compile against it.
        var signature = Load("solution.ipynb");
        SetSource(signature, "entropy", "float MyEntropy(float[] p) => 0f;");
        Save(signature, Path.Combine(handins, "signature.ipynb"));

        string outDir = Path.Combine(_dir, "out");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = CliRunner.Run(_dir, ["grade", "--assignment", Source, .. Directory.GetFileSystemEntries(handins).Order(StringComparer.Ordinal),
            "--out", outDir, "--cell-timeout", "40", "--parallel", "2"]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"grading took {clock.Elapsed}");

        string grades = File.ReadAllText(Path.Combine(outDir, "grades.csv"));
        var rows = RowsByStudent(grades);
        var expected = RowsByStudent(File.ReadAllText(Fixture("expected-grades.csv")));
        Assert.Equal(expected["solution"], rows["solution"]);
        Assert.Equal(expected["partial"], rows["partial"]);
        Assert.Equal(expected["partial"].Select(l => l.Replace("partial,", "partial-folder,", StringComparison.Ordinal)), rows["partial-folder"]);

        // Malformed notebooks are that student's invalid rows, naming the place.
        Assert.All(rows["number-source"].Select(Fields).Where(f => f[1] != "_flags"), f =>
        {
            Assert.Equal("invalid", f[4]);
            Assert.StartsWith("the notebook cell 2 'source' is a number", f[5]);
        });
        Assert.All(rows["array-metadata"].Select(Fields).Where(f => f[1] != "_flags"), f =>
        {
            Assert.Equal("invalid", f[4]);
            Assert.StartsWith("the notebook cell 3 'metadata' is an array", f[5]);
        });

        // The folder: full marks, every link, the pipe and the big file left out with a flag, nothing read through them.
        Assert.Equal(10, rows["links"].Where(l => !l.Contains("_flags", StringComparison.Ordinal)).Sum(Points));
        string flags = rows["links"].Single(l => l.Contains("_flags", StringComparison.Ordinal));
        foreach (string name in (string[])["passwd", "cmdline", "zero", "dangling", "source.ipynb", "secret.txt", "classmate"])
        {
            Assert.Contains($"'{name}' left out: it is a symbolic link", flags);
        }

        Assert.Contains("'pipe' left out: it is a named pipe", flags);
        Assert.Contains("'big.bin' (1024 MiB) left out", flags);
        string linksFeedback = File.ReadAllText(Path.Combine(outDir, "feedback", "links.ipynb"));
        Assert.Contains("passwd: absent", linksFeedback);
        Assert.Contains("secret.txt: absent", linksFeedback);
        Assert.Contains("classmate: absent", linksFeedback);

        // Links as submissions: refused, never followed.
        Assert.All(rows["linked"].Where(l => !l.Contains("_flags", StringComparison.Ordinal)),
            l => Assert.Contains(",0,", l));
        Assert.Contains("symbolic link", rows["linked"][0]);
        Assert.Contains("symbolic link", rows["gone"][0]);
        Assert.False(File.Exists(Path.Combine(outDir, "feedback", "linked.ipynb")));

        // The id trick earns what the untouched handout earns: nothing.
        Assert.Equal(0, rows["id-trick"].Sum(Points));
        Assert.Equal(4, rows["id-trick"].Count(l => l.Contains(",failed,", StringComparison.Ordinal)));

        // Formulas are inert in both CSV files; a path-like id writes nothing outside its folder.
        Assert.True(rows.ContainsKey("'=2+3"), grades);
        Assert.True(rows.ContainsKey("'@SUM(2,3)"), grades);
        string totals = File.ReadAllText(Path.Combine(outDir, "totals.csv"));
        Assert.Contains("'=2+3,10,10,100", totals);
        Assert.DoesNotContain("\n=", totals);
        Assert.DoesNotContain("\n@", totals);
        Assert.DoesNotContain("\n=", grades);
        Assert.DoesNotContain("\n@", grades);
        Assert.Contains("a student id cannot be made of dots only", rows[".."][0]);
        Assert.False(File.Exists(Path.Combine(outDir, "results.json")));
        Assert.False(File.Exists(Path.Combine(outDir, "feedback", "...ipynb")));
        Assert.All(Directory.GetDirectories(Path.Combine(outDir, "gradescope")),
            d => Assert.True(File.Exists(Path.Combine(d, "results.json"))));

        // HTML and scripts the student wrote are text in the feedback and in the rendered book.
        string htmlStudent = "<img src=x onerror=alert(4)>";
        var feedback = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "feedback", htmlStudent + ".ipynb")))!;
        var markdown = new System.Text.StringBuilder();
        foreach (var cell in feedback["cells"]!.AsArray())
        {
            if (cell!["cell_type"]!.GetValue<string>() == "markdown")
            {
                string text = string.Concat(cell["source"]!.AsArray().Select(l => l!.GetValue<string>()));
                markdown.Append(text);
                Assert.DoesNotContain("<img", text);
                Assert.DoesNotContain("<script", text);
            }

            foreach (var output in cell["outputs"]?.AsArray() ?? [])
            {
                var data = output!["data"]?.AsObject();
                Assert.True(data is null || data.All(p => p.Key is "text/plain" or "image/png" or "image/jpeg"), output.ToJsonString());
            }
        }

        Assert.Contains("&lt;script&gt;alert\\(3\\)", markdown.ToString());
        Assert.Contains("Feedback for &lt;img src=x onerror=alert\\(4\\)&gt;", markdown.ToString());
        string book = Path.Combine(_dir, "book");
        var render = CliRunner.Run(_dir, ["render", .. Directory.GetFiles(Path.Combine(outDir, "feedback")), "--out", book]);
        Assert.True(render.ExitCode == 0, render.StdErr);
        foreach (string page in Directory.GetFiles(book, "*.html"))
        {
            string text = File.ReadAllText(page);
            // A live element is a tag; the student's text may appear only escaped.
            // (Attribute values are dropped first: an escaped file name in an href is text, not an attribute.)
            Assert.DoesNotMatch(@"<[a-zA-Z][^>]*\sonerror\s*=", Regex.Replace(text, "\"[^\"]*\"", "\"\""));
            Assert.DoesNotContain("<script>alert", text);
        }

        // The hidden test that did not compile names the answer, never its own code.
        string signatureRow = rows["signature"].Single(l => l.Contains("test-entropy", StringComparison.Ordinal));
        Assert.Contains("did not compile against your notebook; check that `MyEntropy` has", signatureRow);

        // Nothing outside the submissions and no hidden test reaches any file the instructor gets.
        var hidden = HiddenTestLines();
        Assert.NotEmpty(hidden);
        foreach (string file in Directory.GetFiles(outDir, "*", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            Assert.DoesNotContain("root:x:0:0", text);
            Assert.DoesNotContain("INSTRUCTOR-ONLY-7f3a", text);
            Assert.DoesNotContain("BEGIN HIDDEN TESTS", text);
            Assert.All(hidden, line => Assert.DoesNotContain(line, text));
        }
    }

    private static double Points(string row) =>
        double.Parse(Fields(row)[2], System.Globalization.CultureInfo.InvariantCulture);
}
