using System.IO.Compression;
using System.Text.Json.Nodes;
using Workbook.Host.Grading;
using Workbook.Host.Grading.Gradescope;

namespace Workbook.Cli.Tests;

/// <summary>The Gradescope autograder of hw01, unpacked into Gradescope's <c>/autograder</c> layout (under a temporary
/// root named by <c>AUTOGRADER_ROOT</c>), set up once with its <c>setup.sh</c>, then run per submission with
/// <c>run_autograder</c> and no network (<c>unshare -n</c>): the solution earns every point, the blank handout none, a
/// partial answer exactly what <c>grade</c> gives it, and a submission without a notebook gets a clear failed test.
/// results.json has Gradescope's fields and never the student's name.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GradescopeAutograderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-gradescope-").FullName;

    public GradescopeAutograderTests()
    {
        // As /autograder is: every user may enter (the separate user that runs student code when there is no sandbox).
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Source => Path.Combine(CliRunner.Root, "notebooks", "homework", "hw01_entropy-and-log-softmax.ipynb");

    private static string Fixture(string name) =>
        Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Grading", "Fixtures", "hw01", name);

    private static bool IsRoot => Environment.UserName == "root";

    [FactNeedsSandbox]
    public void The_autograder_zip_grades_in_the_autograder_layout_without_network_as_grade_does()
    {
        string zip = AutograderPackage.Write(AssignmentSource.Load(Source), Path.Combine(_dir, "out"),
            AppContext.BaseDirectory);
        Assert.Equal("hw01_entropy-and-log-softmax-autograder.zip", Path.GetFileName(zip));

        string root = Path.Combine(_dir, "autograder");
        string source = Path.Combine(root, "source");
        ZipFile.ExtractToDirectory(zip, source);
        File.SetUnixFileMode(root, (UnixFileMode)0x1ED);
        foreach (string script in (string[])["setup.sh", "run_autograder"])
        {
            string text = File.ReadAllText(Path.Combine(source, script));
            Assert.StartsWith("#!/usr/bin/env bash\n", text);
            Assert.DoesNotContain('\r', text);
            Assert.True((File.GetUnixFileMode(Path.Combine(source, script)) & UnixFileMode.UserExecute) != 0, script + " is executable");
        }

        Assert.True(File.Exists(Path.Combine(source, "instructor", "hw01_entropy-and-log-softmax.ipynb")));
        Assert.True(File.Exists(Path.Combine(source, "grader", "workbook.dll")));
        Assert.True(File.Exists(Path.Combine(source, "dotnet", "dotnet")));

        // Once, as Gradescope does while it builds the image.
        var setup = ExternalClient.Run("bash", [Path.Combine(source, "setup.sh")], TimeSpan.FromMinutes(5));
        Assert.True(setup.ExitCode == 0, setup.StdOut + setup.StdErr);
        if (IsRoot)
        {
            Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(Path.Combine(source, "instructor")));   // 0700
        }

        File.Copy(Path.Combine(source, "run_autograder"), Path.Combine(root, "run_autograder"));
        File.SetUnixFileMode(Path.Combine(root, "run_autograder"), (UnixFileMode)0x1ED);

        var solution = Run(root, Fixture("solution.ipynb"));
        Assert.Equal(10, solution["score"]!.GetValue<double>());
        AssertGradescopeShape(solution);

        var blank = Run(root, Fixture("untouched.ipynb"));
        Assert.Equal(0, blank["score"]!.GetValue<double>());
        Assert.All(Tests(blank).Where(t => t!["max_score"] is not null), t => Assert.Equal("failed", t!["status"]!.GetValue<string>()));

        var partial = Run(root, Fixture("partial.ipynb"));
        var expected = File.ReadAllLines(Fixture("expected-grades.csv"))
            .Where(l => l.StartsWith("partial,test-", StringComparison.Ordinal))
            .ToDictionary(l => l.Split(',')[1], l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.Values.Sum(), partial["score"]!.GetValue<double>());
        Assert.InRange(partial["score"]!.GetValue<double>(), 1, 9);
        foreach (var (part, points) in expected)
        {
            Assert.Equal(points, Tests(partial).Single(t => t!["name"]!.GetValue<string>() == part)!["score"]!.GetValue<double>());
        }

        var none = Run(root, null);
        Assert.Equal(0, none["score"]!.GetValue<double>());
        Assert.Contains("No notebook", Tests(none)[0]!["output"]!.GetValue<string>());
    }

    [FactNeedsSandbox]
    public void Results_are_written_as_each_part_finishes_so_a_killed_run_keeps_its_finished_parts()
    {
        // The solution, except that the sampler never returns: the parts before it finish, then the run hangs.
        var notebook = JsonNode.Parse(File.ReadAllText(Fixture("solution.ipynb")))!;
        var sampling = notebook["cells"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == "sampling")!;
        sampling["source"] = "double[] EstimateCrossEntropy(double[] p, double[] q, int n, int repeats, int seed) { while (true) { } }";
        string submission = Path.Combine(_dir, "submission");
        Directory.CreateDirectory(submission);
        File.WriteAllText(Path.Combine(submission, "hw01_entropy-and-log-softmax.ipynb"), notebook.ToJsonString());
        string results = Path.Combine(_dir, "results", "results.json");

        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in (string[])[Path.Combine(AppContext.BaseDirectory, "workbook.dll"), "autograde", "--source", Source,
                     "--submission", submission, "--results", results])
        {
            psi.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        JsonNode? seen = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // Wait for the state this test is about: the three parts before the sampler graded, the run still going.
            while (clock.Elapsed < TimeSpan.FromMinutes(4))
            {
                if (File.Exists(results) && JsonNode.Parse(File.ReadAllText(results)) is { } r &&
                    Tests(r).Count(t => t!["max_score"] is not null && t["status"]!.GetValue<string>() == "passed") == 3)
                {
                    seen = r;
                    break;
                }

                Thread.Sleep(200);
            }

            Assert.False(process.HasExited, "the run should still be inside the endless sampler");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Assert.NotNull(seen);
        var last = JsonNode.Parse(File.ReadAllText(results))!;
        Assert.Equal(7, last["score"]!.GetValue<double>());
        var unfinished = Tests(last).Single(t => t!["name"]!.GetValue<string>() == "test-sampling")!;
        Assert.Equal(0, unfinished["score"]!.GetValue<double>());
        Assert.Contains("stopped before this part finished", unfinished["output"]!.GetValue<string>());
        Assert.Contains("had not finished", Tests(last).Single(t => t!["visibility"]!.GetValue<string>() == "hidden")!["output"]!.GetValue<string>());
    }

    private static JsonArray Tests(JsonNode results) => results["tests"]!.AsArray();

    private static void AssertGradescopeShape(JsonNode results)
    {
        foreach (string field in (string[])["score", "execution_time", "output", "output_format", "visibility", "stdout_visibility", "tests"])
        {
            Assert.True(results[field] is not null, field);
        }

        Assert.Equal("hidden", results["stdout_visibility"]!.GetValue<string>());
        var parts = Tests(results).Where(t => t!["max_score"] is not null).Select(t => t!).ToList();
        Assert.Equal(["test-cross-entropy", "test-entropy", "test-log-softmax", "test-sampling"],
            parts.Select(t => t["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(parts, t =>
        {
            foreach (string field in (string[])["name", "score", "max_score", "status", "output", "output_format", "visibility"])
            {
                Assert.True(t[field] is not null, field);
            }

            // Every hw01 test has a hidden part: its output waits for the grades to be published.
            Assert.Equal("after_published", t["visibility"]!.GetValue<string>());
        });
        var notes = Tests(results).Single(t => t!["visibility"]!.GetValue<string>() == "hidden")!;
        Assert.Matches("Student code ran (in the bubblewrap sandbox|as a separate unprivileged user|unconfined)", notes["output"]!.GetValue<string>());
    }

    /// <summary>Puts <paramref name="notebook"/> (or nothing) in the submission folder and runs run_autograder with no
    /// network; returns results.json.</summary>
    private static JsonNode Run(string root, string? notebook)
    {
        string submission = Path.Combine(root, "submission");
        string results = Path.Combine(root, "results");
        foreach (string dir in (string[])[submission, results])
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
        }

        if (notebook is not null)
        {
            File.Copy(notebook, Path.Combine(submission, "hw01_entropy-and-log-softmax.ipynb"));
        }
        else
        {
            File.WriteAllText(Path.Combine(submission, "notes.txt"), "forgot the notebook");
        }

        File.WriteAllText(Path.Combine(root, "submission_metadata.json"),
            """{"users":[{"name":"Ada Lovelace","email":"ada@example.edu","sid":"S-1815"}],"assignment":{"title":"hw01"}}""");
        var r = ExternalClient.Run("unshare", [IsRoot ? "-n" : "-rn", Path.Combine(root, "run_autograder")], TimeSpan.FromMinutes(10),
            new Dictionary<string, string> { ["AUTOGRADER_ROOT"] = root });
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        string text = File.ReadAllText(Path.Combine(results, "results.json"));
        foreach (string id in (string[])["Ada", "Lovelace", "ada@example.edu", "S-1815"])
        {
            Assert.DoesNotContain(id, text);
        }

        return JsonNode.Parse(text)!;
    }
}
