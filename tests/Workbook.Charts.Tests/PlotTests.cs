namespace Workbook.Charts.Tests;

public class PlotTests
{
    [Fact]
    public void LinSpace_includes_both_ends()
    {
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], Plot.LinSpace(0, 1, 5));
    }

    [Fact]
    public void LogSpace_spans_the_decades()
    {
        var x = Plot.LogSpace(0, 3, 4);
        Assert.Equal(4, x.Length);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Math.Pow(10, i), x[i], 1e-9 * Math.Pow(10, i));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Fewer_than_two_points_is_an_error_naming_n(int n)
    {
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => Plot.LinSpace(0, 1, n)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => Plot.LogSpace(0, 1, n)).ParamName);
    }

    [Fact]
    public void Lines_with_mismatched_lengths_are_an_error_naming_y()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.Line([1.0, 2.0], [1.0], "a"));
        Assert.Equal("y", e.ParamName);
    }

    [Fact]
    public void A_fixed_range_is_written_to_the_axis_and_keeps_its_title()
    {
        var chart = Plot.Line([1.0, 2.0], [3.0, 4.0], "a").Titled("t", "x (nats)", "y", xRange: (0, 5), yRange: (-1, 1));

        var layout = System.Text.Json.Nodes.JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(chart))!["layout"]!;

        Assert.Equal([0.0, 5.0], layout["xaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([-1.0, 1.0], layout["yaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("x (nats)", layout["xaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 1.0)]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    public void A_range_that_is_empty_reversed_or_not_finite_is_an_error_naming_it(double min, double max)
    {
        var line = Plot.Line([1.0, 2.0], [3.0, 4.0], "a");
        Assert.Equal("xRange", Assert.Throws<ArgumentException>(() => line.Titled("t", "x", "y", xRange: (min, max))).ParamName);
        Assert.Equal("yRange", Assert.Throws<ArgumentException>(() => line.TitledCategories("t", "x", "y", yRange: (min, max))).ParamName);
    }
}
