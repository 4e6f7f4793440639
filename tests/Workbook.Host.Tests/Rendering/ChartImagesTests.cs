using System.Diagnostics;
using Workbook.Charts;
using Xunit.Abstractions;
using Workbook.Host.Rendering;

namespace Workbook.Host.Tests.Rendering;

public sealed class ChartImagesTests(ITestOutputHelper output)
{
    [FactNeedsChromium]
    public void A_chart_renders_to_a_png_of_the_default_size_quickly_after_the_first()
    {
        var chart = Plot.Line([1.0, 2.0, 3.0], [1.0, 4.0, 9.0], "squares").Titled("Squares", "x", "x squared");

        var first = Stopwatch.StartNew();
        var bundle = ChartImages.Render(chart).ToDictionary();
        first.Stop();
        var next = Stopwatch.StartNew();
        const int more = 5;
        for (int i = 0; i < more; i++)
        {
            Assert.Single(ChartImages.Render(chart));
        }

        next.Stop();
        output.WriteLine($"first chart (browser start included): {first.ElapsedMilliseconds} ms; " +
                         $"then {next.ElapsedMilliseconds / more} ms per chart");

        Assert.True(bundle.ContainsKey("image/png"), "image/png: " + ChartImages.SkippedReason);
        byte[] png = Convert.FromBase64String(bundle["image/png"]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        int width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        int height = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        var layout = System.Text.Json.Nodes.JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(chart))!["layout"];
        int expectedWidth = layout?["width"]?.GetValue<int>() ?? ChartImages.DefaultWidth;
        int expectedHeight = layout?["height"]?.GetValue<int>() ?? ChartImages.DefaultHeight;
        Assert.Equal((expectedWidth, expectedHeight), (width, height));
        Assert.True(png.Length > 5000, $"a drawn chart, not a blank image ({png.Length} bytes)");
        Assert.True(next.Elapsed < TimeSpan.FromSeconds(1.5 * more), $"{next.Elapsed} for {more} charts");
    }
}
