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
}
