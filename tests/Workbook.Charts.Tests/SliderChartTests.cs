using System.Text.Json.Nodes;
using Plotly.NET;

namespace Workbook.Charts.Tests;

public class SliderChartTests
{
    private static JsonObject Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();

    private static bool[] Visible(JsonObject figure) =>
        figure["data"]!.AsArray().Select(t => t!["visible"]!.GetValue<bool>()).ToArray();

    private static GenericChart Coin(double q) =>
        Plot.Line([0.0, 1.0], [q, 1 - q], $"model q={q}");

    [Fact]
    public void Each_step_shows_its_own_traces_and_the_fixed_traces_stay_visible()
    {
        var chart = SliderChart.Over("q = ", [0.1, 0.5, 0.9],
            q => Plot.Combine(Coin(q), Plot.Points([q], [q], "marker")),
            active: 1, fixedCharts: [Plot.HorizontalLine(0, 1, 0.5, "H(p)")]);

        var figure = Figure(chart);

        // three steps of two traces, then the fixed line
        Assert.Equal(7, figure["data"]!.AsArray().Count);
        Assert.Equal([false, false, true, true, false, false, true], Visible(figure));
        var slider = figure["layout"]!["sliders"]!.AsArray().Single()!;
        Assert.Equal(1, slider["active"]!.GetValue<int>());
        Assert.Equal("q = ", slider["currentvalue"]!["prefix"]!.GetValue<string>());
        var steps = slider["steps"]!.AsArray();
        Assert.Equal(["0.1", "0.5", "0.9"], steps.Select(s => s!["label"]!.GetValue<string>()));
        for (int s = 0; s < 3; s++)
        {
            Assert.Equal("restyle", steps[s]!["method"]!.GetValue<string>());
            var visible = VisibleArgument(steps[s]!);
            bool[] expected = Enumerable.Range(0, 7).Select(t => t == 6 || t / 2 == s).ToArray();
            Assert.Equal(expected, visible);
        }
    }

    /// <summary>The <c>visible</c> array of a restyle step, whether its args are <c>["visible", [...]]</c> or
    /// <c>[{"visible": [...]}]</c> (plotly.js takes both).</summary>
    private static bool[] VisibleArgument(JsonNode step)
    {
        var args = step["args"]!.AsArray();
        JsonArray values = args[0] is JsonObject update
            ? update["visible"]!.AsArray()
            : args[1]!.AsArray();
        return values.Select(v => v!.GetValue<bool>()).ToArray();
    }

    [Fact]
    public void The_slider_survives_titles_added_afterwards()
    {
        var chart = SliderChart.Over("n = ", [10, 100], n => Coin(1 / n))
            .Titled("title", "x", "y");

        var figure = Figure(chart);

        Assert.Equal(2, figure["layout"]!["sliders"]![0]!["steps"]!.AsArray().Count);
        Assert.Equal("title", figure["layout"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Labels_can_be_formatted()
    {
        var chart = SliderChart.Over("T = ", [0.25, 4], t => Coin(t / 5), label: t => t.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));

        var steps = Figure(chart)["layout"]!["sliders"]![0]!["steps"]!.AsArray();

        Assert.Equal(["0.25", "4.00"], steps.Select(s => s!["label"]!.GetValue<string>()));
    }

    [Fact]
    public void No_steps_is_an_error_naming_the_argument()
    {
        var e = Assert.Throws<ArgumentException>(() => SliderChart.Steps("n = ", []));
        Assert.Equal("steps", e.ParamName);
        Assert.Contains("at least one step", e.Message);
        Assert.Throws<ArgumentException>(() => SliderChart.Over("q = ", [], Coin));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void An_active_step_outside_the_steps_is_an_error(int active)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SliderChart.Over("q = ", [0.1, 0.2], Coin, active: active));
        Assert.Equal("active", e.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_value_that_is_not_finite_is_an_error_naming_it(double bad)
    {
        var e = Assert.Throws<ArgumentException>(() => SliderChart.Over("q = ", [0.1, bad], Coin));
        Assert.Equal("values", e.ParamName);
        Assert.Contains("values[1]", e.Message);
    }
}
