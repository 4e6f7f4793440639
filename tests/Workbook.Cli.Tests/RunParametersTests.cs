using System.Text.Json.Nodes;

namespace Workbook.Cli.Tests;

/// <summary><c>run --set</c> and <c>run --list-parameters</c> as a user runs them: what the command prints, its exit
/// code, and what it writes. The rules and messages themselves are tested without a process in the host's
/// <c>Parameters</c> tests.</summary>
public sealed class RunParametersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-params-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string CopyFixture(string name)
    {
        string target = Path.Combine(_dir, name);
        File.Copy(Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Fixtures", name), target);
        return target;
    }

    private static JsonArray Cells(string path) => (JsonArray)JsonNode.Parse(File.ReadAllText(path))!["cells"]!;

    private static string Text(JsonNode cell) => cell["source"] is JsonArray a
        ? string.Concat(a.Select(l => l!.GetValue<string>()))
        : cell["source"]!.GetValue<string>();

    [Fact]
    public void Set_overrides_parameters_injects_a_tagged_cell_and_records_the_overrides_in_the_file_name()
    {
        string nb = CopyFixture("parameters-latex.ipynb");
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run(_dir, "run", nb, "--out", outDir, "--set", "N=1000000", "--set", "scale=3",
            "--set", "p=0.2,0.3,0.5", "--set", "label=hi there", "--set", "verbose=true");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        string executed = Path.Combine(outDir, "parameters-latex.N=1000000.scale=3.p=0.2,0.3,0.5.label=hi_there.verbose=true.ipynb");
        Assert.True(File.Exists(executed), "executed copy named after the overrides; found: " +
            string.Join(", ", Directory.EnumerateFiles(outDir).Select(Path.GetFileName)));
        var cells = Cells(executed);
        int original = cells.ToList().FindIndex(c => c!["metadata"]?["tags"]?.AsArray().Any(t => t!.GetValue<string>() == "parameters") == true);
        var injected = cells[original + 1]!;
        Assert.Contains("injected-parameters", injected["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("var N = 1000000;", Text(injected));
        Assert.Contains("double scale = 3.0;", Text(injected));
        Assert.Contains("var p = new double[] { 0.2, 0.3, 0.5 };", Text(injected));
        Assert.Contains("var N = 1000;", Text(cells[original]!));
        string stdout = string.Concat(cells[original + 2]!["outputs"]!.AsArray()
            .SelectMany(o => o!["text"]!.AsArray().Select(t => t!.GetValue<string>())));
        Assert.Contains("N=1000000 scale=3 label=hi there verbose=True p=0.2,0.3,0.5", stdout);
    }

    [Fact]
    public void Reruns_with_different_overrides_do_not_overwrite_each_other()
    {
        string nb = CopyFixture("succeeds.ipynb");
        File.Copy(Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Fixtures", "data.txt"), Path.Combine(_dir, "data.txt"));
        string outDir = Path.Combine(_dir, "out");

        Assert.Equal(0, CliRunner.Run(_dir, "run", nb, "--out", outDir, "--set", "n=2").ExitCode);
        Assert.Equal(0, CliRunner.Run(_dir, "run", nb, "--out", outDir, "--set", "n=8").ExitCode);

        var two = Cells(Path.Combine(outDir, "succeeds.n=2.ipynb"));
        var eight = Cells(Path.Combine(outDir, "succeeds.n=8.ipynb"));
        Assert.Contains("\"1\"", two[4]!["outputs"]!.ToJsonString());
        Assert.Contains("\"3\"", eight[4]!["outputs"]!.ToJsonString());
    }

    [Fact]
    public void An_unknown_parameter_is_a_usage_error_before_any_cell_runs_listing_the_known_ones()
    {
        string nb = CopyFixture("parameters-latex.ipynb");
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run(_dir, "run", nb, "--out", outDir, "--set", "M=5");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no parameter 'M'", r.StdErr);
        Assert.Contains("N (int), scale (double), label (string), verbose (bool), p (double[])", r.StdErr);
        Assert.False(Directory.Exists(outDir), "nothing ran, nothing was written");
    }

    [Theory]
    [InlineData("N=0.5", "'N' is an int; '0.5' is not an int")]
    public void A_value_of_the_wrong_type_is_a_usage_error_naming_the_parameter(string assignment, string expected)
    {
        string nb = CopyFixture("parameters-latex.ipynb");

        var r = CliRunner.Run(_dir, "run", nb, "--out", Path.Combine(_dir, "out"), "--set", assignment);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.StdErr);
        Assert.Contains("its parameters are: N (int), scale (double)", r.StdErr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void List_parameters_prints_names_types_and_defaults_and_runs_nothing()
    {
        string nb = CopyFixture("parameters-latex.ipynb");

        var r = CliRunner.Run(_dir, "run", "--list-parameters", nb);

        Assert.Equal(0, r.ExitCode);
        string[] lines = r.StdOut.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("N        int       = 1000", lines);
        Assert.Contains("scale    double    = 0.5", lines);
        Assert.Contains("label    string    = \"draws\"", lines);
        Assert.Contains("verbose  bool      = false", lines);
        Assert.Contains("p        double[]  = new[] { 0.5, 0.25, 0.25 }", lines);
        Assert.DoesNotContain("ok", r.StdOut);
    }

    [Theory]
    [InlineData("trueClass=3", "parameter 'trueClass' = 3 is outside its domain (an index 0 <= i < the length of p): p has 3 entries")]
    public void Set_checks_the_declared_domains_before_any_cell_runs_naming_the_parameter_the_rule_and_the_value(string assignment, string expected)
    {
        string nb = CopyFixture("parameters-domains.ipynb");
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run(_dir, "run", nb, "--out", outDir, "--set", assignment);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error: parameters-domains.ipynb: " + expected, r.StdErr);
        Assert.False(Directory.Exists(outDir), "nothing ran, nothing was written");
    }

    [Fact]
    public void Cross_parameter_rules_use_the_values_set_together()
    {
        string nb = CopyFixture("parameters-domains.ipynb");
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run(_dir, "run", nb, "--out", outDir, "--set", "p=0.5,0.5", "--set", "q=1,0", "--set", "trueClass=1");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
    }

    [Fact]
    public void The_notebooks_check_cell_refuses_a_value_edited_in_the_cell_with_the_same_message()
    {
        string nb = CopyFixture("parameters-domains.ipynb");
        File.WriteAllText(nb, File.ReadAllText(nb).Replace("var trueClass = 2;", "var trueClass = 3;", StringComparison.Ordinal));
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run(_dir, "run", nb, "--out", outDir);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("parameter 'trueClass' = 3 is outside its domain (an index 0 <= i < the length of p): p has 3 entries",
            r.StdOut + r.StdErr);
        Assert.Contains("domains.Check", r.StdOut + r.StdErr);
    }

    [Fact]
    public void List_parameters_shows_each_declared_domain()
    {
        string nb = CopyFixture("parameters-domains.ipynb");

        var r = CliRunner.Run(_dir, "run", "--list-parameters", nb);

        Assert.Equal(0, r.ExitCode);
        string[] lines = r.StdOut.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("N          long      = 1_000", StringComparison.Ordinal) &&
                                    l.EndsWith("domain: a whole number in [10, 1000000]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("trueClass", StringComparison.Ordinal) &&
                                    l.EndsWith("domain: an index 0 <= i < the length of p", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("seed", StringComparison.Ordinal) && l.EndsWith("domain: any whole number", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_chromium_run_succeeds_keeps_html_charts_and_says_once_how_to_get_the_images()
    {
        string nb = CopyFixture("parameters-latex.ipynb");
        string outDir = Path.Combine(_dir, "out");
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "workbook.dll"), "run", nb, "--out", outDir })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["WORKBOOK_CHROMIUM"] = Path.Combine(_dir, "no-such-chromium");
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)));
        string output = await stdout;

        Assert.True(p.ExitCode == 0, output + stderr);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(stderr, "static chart images"));
        Assert.Contains("skipped for 2 chart(s)", stderr);
        Assert.Contains("apt-get install chromium", stderr);
        string executed = File.ReadAllText(Path.Combine(outDir, "parameters-latex.ipynb"));
        Assert.Contains("workbook-chart", executed);
        Assert.DoesNotContain("\"image/png\":", executed);
    }
}
