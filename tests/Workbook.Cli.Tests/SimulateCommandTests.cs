using System.Text.Json;

namespace Workbook.Cli.Tests;

public class SimulateCommandTests
{
    private static readonly string Dir = Path.GetTempPath();

    private static CliRunner.Result Simulate(params string[] args) => CliRunner.Run(Dir, ["simulate", .. args]);

    private static double Num(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => double.NaN }
        : e.GetDouble();

    [Fact]
    public void Json_output_has_the_analytic_values_and_per_checkpoint_fields()
    {
        var r = Simulate("--p", "0.5,0.25,0.25", "--q", "0.4,0.4,0.2", "--n", "1e9", "--seed", "1", "--format", "json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        double h = -(0.5 * Math.Log(0.5) + 0.5 * Math.Log(0.25));
        double hpq = -(0.5 * Math.Log(0.4) + 0.25 * Math.Log(0.4) + 0.25 * Math.Log(0.2));
        Assert.Equal(h, root.GetProperty("entropy").GetDouble(), 1e-12);
        Assert.Equal(hpq, root.GetProperty("cross_entropy").GetDouble(), 1e-12);
        Assert.Equal(hpq - h, root.GetProperty("kl").GetDouble(), 1e-12);
        double var = root.GetProperty("var_per_draw").GetDouble();
        Assert.True(var > 0);
        var cps = root.GetProperty("checkpoints").EnumerateArray().ToList();
        Assert.True(cps.Count > 10);
        Assert.Equal(1, cps[0].GetProperty("n").GetInt64());
        var last = cps[^1];
        Assert.Equal(1_000_000_000L, last.GetProperty("n").GetInt64());
        Assert.True(Math.Abs(last.GetProperty("minus_log_q_over_n").GetDouble() - hpq) <= 5 * Math.Sqrt(var / 1e9));
        Assert.True(last.TryGetProperty("minus_log_p_over_n", out _));
    }

    [Fact]
    public void Many_runs_add_band_fields_and_the_same_seed_gives_byte_identical_output()
    {
        string[] args = ["--p", "0.5,0.25,0.25", "--q", "0.4,0.4,0.2", "--n", "1000000", "--seed", "7", "--runs", "20",
            "--checkpoints", "10,100,1000", "--format", "json"];
        var a = Simulate(args);
        var b = Simulate(args);
        Assert.True(a.ExitCode == 0, a.StdErr);
        Assert.Equal(a.StdOut, b.StdOut);
        using var doc = JsonDocument.Parse(a.StdOut);
        var cps = doc.RootElement.GetProperty("checkpoints").EnumerateArray().ToList();
        Assert.Equal([10L, 100L, 1000L, 1000000L], cps.Select(c => c.GetProperty("n").GetInt64()));
        foreach (string field in new[] { "mean_minus_log_q_over_n", "q05", "q95", "band_low", "band_high", "fraction_in_band" })
        {
            Assert.True(cps[^1].TryGetProperty(field, out _), field);
        }

        Assert.True(cps[^1].GetProperty("band_low").GetDouble() < cps[^1].GetProperty("band_high").GetDouble());

        var c = Simulate([.. args[..7], "8", .. args[8..]]);
        Assert.NotEqual(a.StdOut, c.StdOut);
    }

    [Fact]
    public void Infinite_cross_entropy_is_the_string_inf_in_valid_json()
    {
        var r = Simulate("--p", "0.5,0.5", "--q", "1,0", "--n", "1000", "--seed", "3", "--format", "json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.Equal("inf", doc.RootElement.GetProperty("cross_entropy").GetString());
        Assert.True(doc.RootElement.GetProperty("first_impossible_draw").GetInt64() >= 1);
        Assert.Equal(double.PositiveInfinity, Num(doc.RootElement.GetProperty("checkpoints").EnumerateArray().Last().GetProperty("minus_log_q_over_n")));
    }

    [Theory]
    [InlineData("--p", "0.5,0.4")]
    [InlineData("--p", "0.5,abc")]
    [InlineData("--q", "0.5,0.5,0")]
    [InlineData("--n", "0")]
    [InlineData("--n", "1e30")]
    [InlineData("--n", "1.5")]
    [InlineData("--runs", "0")]
    [InlineData("--checkpoints", "5000")]
    [InlineData("--format", "xml")]
    [InlineData("--format", "1")]
    [InlineData("--seed", "abc")]
    [InlineData("--epsilon", "wide")]
    [InlineData("--checkpoints", ",")]
    public void Bad_arguments_exit_with_code_2_and_name_the_flag(string flag, string value)
    {
        var args = new Dictionary<string, string> { ["--p"] = "0.5,0.5", ["--q"] = "0.9,0.1", ["--n"] = "1000" };
        args[flag] = value;
        var r = Simulate(args.SelectMany(kv => new[] { kv.Key, kv.Value }).ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(flag, r.StdErr);
        Assert.Equal("", r.StdOut);
    }

    [Fact]
    public void Table_and_csv_formats_list_every_checkpoint()
    {
        var csv = Simulate("--p", "0.5,0.5", "--q", "0.9,0.1", "--n", "1000", "--checkpoints", "10,100", "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.StdErr);
        var lines = csv.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal("n,minus_log_p_over_n,minus_log_q_over_n", lines[0]);
        Assert.Equal(4, lines.Length);
        var table = Simulate("--p", "0.5,0.5", "--q", "0.9,0.1", "--n", "1000");
        Assert.True(table.ExitCode == 0, table.StdErr);
        Assert.Contains("H(p,q)", table.StdOut);
    }

    [Fact]
    public void A_missing_required_option_is_a_usage_error_before_anything_runs()
    {
        var r = Simulate("--p", "0.5,0.5");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--n", r.StdErr);
        Assert.Contains("simulate --help", r.StdErr);
        Assert.Equal("", r.StdOut);
    }
}
