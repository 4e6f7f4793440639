using Workbook.Host.Rendering;
using System.Text.Json.Nodes;
using Plotly.NET;
using Workbook.Charts;

namespace Workbook.Host.Tests.Rendering;

public sealed class FigureJsonWriterTests
{
    public static TheoryData<string> Charts => new() { "line", "titled", "combined", "histogram", "bars", "twice" };

    private static GenericChart Chart(string name) => name switch
    {
        "line" => Plot.Line([1.0, 2.0, 3.0], [1.0, 4.0, 9.0], "y"),
        "titled" => Plot.Line([1.0, 2.0, 3.0], [1.0, 4.0, 9.0], "y").Titled("t", "x", "y", logY: true),
        "combined" => Plot.Combine(Plot.Line([1.0, 2.0], [1.0, 2.0], "a"), Plot.Points([1.0, 2.0], [2.0, 1.0], "b"))
            .Titled("both", "x", "y"),
        "histogram" => Plot.Histogram([0.1, 0.2, 0.2, 0.9], "h", bins: 4).Titled("h", "x", "density"),
        "bars" => Plot.Bars(["a", "b"], [0.25, 0.75], "p").TitledCategories("p", "outcome", "probability"),
        "twice" => Plot.Line([1.0, 2.0], [3.0, 4.0], "again").Titled("again", "x", "y"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Charts))]
    public void The_figure_equals_Plotly_NETs_own_figure_json(string name)
    {
        var writer = new FigureJsonWriter();
        _ = writer.Write(Chart("line")); // the template is now cached

        var chart = Chart(name);
        var expected = JsonNode.Parse(GenericChart.toFigureJson(chart));
        var actual = JsonNode.Parse(writer.Write(chart));

        Assert.True(JsonNode.DeepEquals(expected, actual), $"{actual}\nexpected\n{expected}");
    }

    [Fact]
    public void A_changed_template_is_not_taken_from_the_cache()
    {
        var writer = new FigureJsonWriter();
        var chart = Chart("line");
        _ = writer.Write(chart);

        var dark = Plotly.NET.Chart.withTemplate(ChartTemplates.dark).Invoke(Chart("line"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(GenericChart.toFigureJson(dark)), JsonNode.Parse(writer.Write(dark))));
    }
}
