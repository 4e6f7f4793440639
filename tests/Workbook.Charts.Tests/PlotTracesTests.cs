using System.Text.Json.Nodes;
using Plotly.NET;

namespace Workbook.Charts.Tests;

/// <summary>What each <see cref="Plot"/> helper puts in the Plotly figure: its traces and layout.</summary>
public class PlotTracesTests
{
    private static JsonObject Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();

    private static JsonArray Traces(GenericChart chart) => Figure(chart)["data"]!.AsArray();

    private static double[] Numbers(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Fact]
    public void Points_are_markers_with_the_name_and_colour_given()
    {
        var trace = Assert.Single(Traces(Plot.Points([1.0, 2.0], [3.0, 4.0], "draws", color: "red")))!;

        Assert.Equal("markers", trace["mode"]!.GetValue<string>());
        Assert.Equal([1.0, 2.0], Numbers(trace["x"]));
        Assert.Equal([3.0, 4.0], Numbers(trace["y"]));
        Assert.Equal("draws", trace["name"]!.GetValue<string>());
        Assert.Equal("red", trace["marker"]!["color"]!.GetValue<string>());
    }

    [Fact]
    public void A_line_can_be_dashed_and_show_its_markers()
    {
        var plain = Assert.Single(Traces(Plot.Line([1.0, 2.0], [3.0, 4.0], "a")))!;
        var styled = Assert.Single(Traces(Plot.Line([1.0, 2.0], [3.0, 4.0], "b", markers: true, dashed: true)))!;

        Assert.Equal("lines", plain["mode"]!.GetValue<string>());
        Assert.Equal("lines+markers", styled["mode"]!.GetValue<string>());
        Assert.Equal("dash", styled["line"]!["dash"]!.GetValue<string>());
    }

    [Fact]
    public void A_horizontal_line_is_a_dashed_segment_at_y()
    {
        var trace = Assert.Single(Traces(Plot.HorizontalLine(0, 10, 1.5, "H(p)")))!;

        Assert.Equal([0.0, 10.0], Numbers(trace["x"]));
        Assert.Equal([1.5, 1.5], Numbers(trace["y"]));
        Assert.Equal("dash", trace["line"]!["dash"]!.GetValue<string>());
        Assert.Equal("H(p)", trace["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_band_fills_between_its_lower_and_upper_line_and_shows_one_legend_entry()
    {
        var traces = Traces(Plot.Band([1.0, 2.0], [0.0, 0.5], [1.0, 1.5], "±2σ", color: "rgba(1,2,3,0.4)"));

        Assert.Equal(2, traces.Count);
        Assert.Equal([0.0, 0.5], Numbers(traces[0]!["y"]));
        Assert.False(traces[0]!["showlegend"]!.GetValue<bool>());
        Assert.Equal([1.0, 1.5], Numbers(traces[1]!["y"]));
        Assert.Equal("±2σ", traces[1]!["name"]!.GetValue<string>());
        Assert.Equal("tonexty", traces[1]!["fill"]!.GetValue<string>());
        Assert.Equal("rgba(1,2,3,0.4)", traces[1]!["fillcolor"]!.GetValue<string>());
    }

    [Fact]
    public void A_histogram_is_a_density_unless_asked_for_counts()
    {
        var density = Assert.Single(Traces(Plot.Histogram([1.0, 2.0, 2.0], "h", bins: 7)))!;
        var counts = Assert.Single(Traces(Plot.Histogram([1.0, 2.0, 2.0], "h", density: false)))!;

        Assert.Equal("histogram", density["type"]!.GetValue<string>());
        Assert.Equal(7, density["nbinsx"]!.GetValue<int>());
        Assert.Equal("probability density", density["histnorm"]!.GetValue<string>());
        Assert.NotEqual("probability density", counts["histnorm"]?.GetValue<string>());
    }

    [Fact]
    public void Bars_put_one_value_on_each_label()
    {
        var trace = Assert.Single(Traces(Plot.Bars(["a", "b"], [0.25, 0.75], "p")))!;

        Assert.Equal("bar", trace["type"]!.GetValue<string>());
        Assert.Equal(["a", "b"], trace["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal([0.25, 0.75], Numbers(trace["y"]));
    }

    [Fact]
    public void Bars_with_another_number_of_labels_are_an_error_naming_values() =>
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => Plot.Bars(["a"], [1.0, 2.0], "p")).ParamName);

    [Fact]
    public void Points_and_bands_of_mismatched_lengths_are_an_error_naming_the_series()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Plot.Points([1.0], [1.0, 2.0], "a")).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Plot.Band([1.0, 2.0], [1.0], [1.0, 2.0], "a")).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Plot.Band([1.0, 2.0], [1.0, 2.0], [1.0], "a")).ParamName);
    }

    [Fact]
    public void Combine_keeps_every_trace_in_order()
    {
        var traces = Traces(Plot.Combine(Plot.Line([1.0, 2.0], [1.0, 2.0], "a"), Plot.Points([1.0], [1.0], "b")));

        Assert.Equal(["a", "b"], traces.Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Titled_sets_the_title_size_log_axes_and_overlay()
    {
        var layout = Figure(Plot.Histogram([1.0], "h").Titled("T", "n (draws)", "nats", logX: true, logY: true,
            width: 500, height: 300, overlay: true))["layout"]!;

        Assert.Equal("T", layout["title"]!["text"]!.GetValue<string>());
        Assert.Equal(500, layout["width"]!.GetValue<int>());
        Assert.Equal(300, layout["height"]!.GetValue<int>());
        Assert.Equal("log", layout["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("log", layout["yaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("nats", layout["yaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("overlay", layout["barmode"]!.GetValue<string>());
    }

    [Fact]
    public void Linear_axes_have_no_type_and_TitledCategories_makes_the_x_axis_categorical()
    {
        var linear = Figure(Plot.Line([1.0, 2.0], [1.0, 2.0], "a").Titled("T", "x", "y"))["layout"]!;
        var categories = Figure(Plot.Bars(["a"], [1.0], "p").TitledCategories("T", "class", "p"))["layout"]!;

        Assert.Null(linear["xaxis"]!["type"]);
        Assert.Null(linear["barmode"]);
        Assert.Equal("category", categories["xaxis"]!["type"]!.GetValue<string>());
        Assert.Equal("class", categories["xaxis"]!["title"]!["text"]!.GetValue<string>());
    }
}
