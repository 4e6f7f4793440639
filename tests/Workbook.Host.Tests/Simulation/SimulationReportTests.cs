using System.Text.Json;
using Workbook.Host.Simulation;

namespace Workbook.Host.Tests.Simulation;

/// <summary>The writers behind <c>workbook simulate</c>, called without a process.</summary>
public sealed class SimulationReportTests
{
    private static readonly SimulationRequest Coin = new([0.5, 0.5], [0.9, 0.1], 1000, Checkpoints: [10, 100]);

    [Fact]
    public void Json_carries_the_analytic_values_in_nats_and_one_object_per_checkpoint()
    {
        using var doc = JsonDocument.Parse(SimulationReport.Run(Coin, SimulationFormat.Json));
        var root = doc.RootElement;
        Assert.Equal("nats", root.GetProperty("unit").GetString());
        Assert.Equal(Math.Log(2), root.GetProperty("entropy").GetDouble(), 1e-15);
        Assert.Equal(-0.5 * (Math.Log(0.9) + Math.Log(0.1)), root.GetProperty("cross_entropy").GetDouble(), 1e-15);
        var n = root.GetProperty("checkpoints").EnumerateArray().Select(c => c.GetProperty("n").GetInt64()).ToArray();
        Assert.Equal([10L, 100L, 1000L], n);
        Assert.False(root.GetProperty("checkpoints")[0].TryGetProperty("q05", out _));
    }

    [Fact]
    public void More_than_one_run_adds_the_band_columns_to_csv()
    {
        string csv = SimulationReport.Run(Coin with { Runs = 5 }, SimulationFormat.Csv);
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.StartsWith("n,minus_log_p_over_n,minus_log_q_over_n,mean_minus_log_p_over_n", lines[0]);
        Assert.EndsWith("fraction_in_band,fraction_typical", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(12, l.Split(',').Length));
    }

    [Fact]
    public void The_same_request_gives_the_same_bytes_and_another_seed_other_draws()
    {
        string a = SimulationReport.Run(Coin, SimulationFormat.Table);
        Assert.Equal(a, SimulationReport.Run(Coin, SimulationFormat.Table));
        Assert.NotEqual(a, SimulationReport.Run(Coin with { Seed = 2 }, SimulationFormat.Table));
    }

    [Fact]
    public void An_impossible_draw_is_inf_in_every_format_and_explained_in_the_table()
    {
        var request = new SimulationRequest([0.5, 0.5], [1, 0], 100, Checkpoints: [100]);
        string table = SimulationReport.Run(request, SimulationFormat.Table);
        Assert.Contains("drew a class with q = 0", table);
        Assert.Contains(",inf", SimulationReport.Run(request, SimulationFormat.Csv));
        using var doc = JsonDocument.Parse(SimulationReport.Run(request, SimulationFormat.Json));
        Assert.Equal("inf", doc.RootElement.GetProperty("cross_entropy").GetString());
    }

    [Fact]
    public void A_p_that_does_not_sum_to_one_is_refused_naming_p()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            SimulationReport.Run(new SimulationRequest([0.5, 0.4], [0.5, 0.5], 10), SimulationFormat.Json));
        Assert.Equal("p", e.ParamName);
    }
}
