namespace Workbook.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string CopyFixture(string name)
    {
        string target = Path.Combine(_dir, name);
        File.Copy(Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Fixtures", name), target);
        return target;
    }

    [Fact]
    public void A_throwing_notebook_makes_run_exit_nonzero_name_the_cell_and_the_others_still_run()
    {
        string throws = CopyFixture("throws.ipynb");
        string ok = CopyFixture("succeeds.ipynb");
        File.Copy(Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Fixtures", "data.txt"), Path.Combine(_dir, "data.txt"));
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run(_dir, "run", throws, ok, "--out", outDir);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("throws.ipynb: cell 2 (`// this cell fails`) failed", r.StdErr);
        Assert.Contains("boom from the fixture", r.StdErr);
        Assert.True(File.Exists(Path.Combine(outDir, "throws.ipynb")), "the failing notebook's executed copy is written");
        Assert.True(File.Exists(Path.Combine(outDir, "succeeds.ipynb")), "the next notebook still ran");
        Assert.Contains("1 notebook(s) succeeded, 1 failed", r.StdOut);
    }

    [Fact]
    public void Redirected_output_shows_one_line_per_notebook_without_carriage_returns()
    {
        string ok = CopyFixture("throws.ipynb");
        var r = CliRunner.Run(_dir, "run", ok, "--out", Path.Combine(_dir, "out"));

        Assert.DoesNotContain('\r', r.StdOut);
        Assert.Contains("[1/1] FAILED throws.ipynb", r.StdOut);
    }

    [Fact]
    public void A_missing_notebook_is_a_usage_error_naming_the_path()
    {
        var r = CliRunner.Run(_dir, "run", "no-such-notebook.ipynb");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-such-notebook.ipynb", r.StdErr);
    }

    [Fact]
    public void A_file_that_is_not_a_notebook_fails_clearly_and_does_not_stop_the_others()
    {
        string bad = Path.Combine(_dir, "bad.ipynb");
        File.WriteAllText(bad, "not json at all");
        string throws = CopyFixture("throws.ipynb");

        var r = CliRunner.Run(_dir, "run", bad, throws, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("bad.ipynb is not valid JSON", r.StdErr);
        Assert.Contains("[2/2] FAILED throws.ipynb", r.StdOut);
    }

    private string WriteNotebook(string name, params string[] cells)
    {
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["cells"] = new System.Text.Json.Nodes.JsonArray(cells.Select((source, i) => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
            {
                ["cell_type"] = "code",
                ["id"] = $"cell-{i}",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
                ["execution_count"] = null,
                ["outputs"] = new System.Text.Json.Nodes.JsonArray(),
                ["source"] = source,
            }).ToArray()),
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["kernelspec"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public void A_cell_timeout_stops_the_loop_for_real_and_the_next_notebook_runs_with_no_worker_beside_it()
    {
        string loop = WriteNotebook("loop.ipynb", "var before = 1;", "while (true) {}", "before");
        // The next notebook looks for other worker processes of the same `run` (its parent): there must be none,
        // so nothing of the first notebook's loop is left running beside it.
        string next = WriteNotebook("next.ipynb", """
            using System.IO;
            int Parent(int pid)
            {
                try { var stat = File.ReadAllText($"/proc/{pid}/stat"); return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]); }
                catch (Exception) { return -1; }
            }
            int me = Environment.ProcessId, run = Parent(me);
            var siblings = Directory.GetDirectories("/proc").Select(Path.GetFileName)
                .Where(n => int.TryParse(n, out _)).Select(int.Parse)
                .Where(p => p != me && Parent(p) == run).ToList();
            if (siblings.Count > 0) throw new Exception($"other processes of the run are alive: {string.Join(", ", siblings)}");
            Console.WriteLine("alone");
            """);
        string outDir = Path.Combine(_dir, "out");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The limit leaves the next notebook's cells room on a loaded machine (their first compilation included).
        var r = CliRunner.Run(_dir, "run", loop, next, "--out", outDir, "--cell-timeout", "10");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("loop.ipynb: cell 2 (`while (true) {}`) failed: TimeoutError: the cell did not finish within 10 s", r.StdErr);
        Assert.True(r.StdOut.Contains("[2/2] ok     next.ipynb", StringComparison.Ordinal), r.StdOut + r.StdErr);
        Assert.Contains("alone", File.ReadAllText(Path.Combine(outDir, "next.ipynb")));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"run took {clock.Elapsed}");
    }

    [Fact]
    public void A_worker_that_cannot_start_makes_run_fail_with_its_stderr_and_write_nothing()
    {
        string ok = CopyFixture("throws.ipynb");
        string outDir = Path.Combine(_dir, "out");

        // 2 MiB is too little for the runtime to create its GC heap: the worker dies before any code runs, after the
        // runtime has said so on standard error.
        var r = CliRunner.Run(_dir, "run", ok, "--out", outDir, "--memory-limit", "2");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("could not start its kernel", r.StdErr);
        Assert.Contains("last lines on standard error:", r.StdErr);
        Assert.Contains("GC heap initialization failed", r.StdErr);
        Assert.False(File.Exists(Path.Combine(outDir, "throws.ipynb")), "an executed copy was written");
    }
}
