using System.Text.Json.Nodes;
using Plotly.NET;

namespace Workbook.Charts.Tests;

public class ImagesTests
{
    private static JsonObject Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();

    private static double[] Image(params double[] pixels) => pixels;

    [Fact]
    public void Images_are_tiled_row_by_row_with_blank_gaps_and_a_caption_above_each()
    {
        // Three 2 x 2 images, two per line: 2 lines of (caption row + 2 pixel rows) with a blank row between,
        // and 2 tiles of 2 columns with a blank column between.
        var figure = Figure(Images.Grid([Image(1, 2, 3, 4), Image(5, 6, 7, 8), Image(9, 10, 11, 12)], 2, 2,
            ["a", "b", "c"], columns: 2, "digits", "ink"));

        var z = figure["data"]![0]!["z"]!.AsArray().Select(r => r!.AsArray().Select(v => v?.GetValue<double>()).ToArray()).ToArray();
        Assert.Equal(7, z.Length);
        Assert.All(z, row => Assert.Equal(5, row.Length));
        Assert.Equal([null, null, null, null, null], z[0]);
        Assert.Equal([1.0, 2.0, null, 5.0, 6.0], z[1]);
        Assert.Equal([3.0, 4.0, null, 7.0, 8.0], z[2]);
        Assert.Equal([9.0, 10.0, null, null, null], z[5]);
        Assert.Equal([11.0, 12.0, null, null, null], z[6]);

        var captions = figure["layout"]!["annotations"]!.AsArray();
        Assert.Equal(["a", "b", "c"], captions.Select(a => a!["text"]!.GetValue<string>()));
        Assert.Equal([(0.5, 0.0), (3.5, 0.0), (0.5, 4.0)],
            captions.Select(a => (a!["x"]!.GetValue<double>(), a["y"]!.GetValue<double>())));
        Assert.Equal("digits", figure["layout"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Greys_run_from_zero_to_the_largest_value_and_a_diverging_scale_is_centred_on_zero()
    {
        var ink = Figure(Images.Grid([Image(0, 4), Image(-1, 2)], 1, 2, ["a", "b"], 2, "t", "c"))["data"]![0]!;
        var weights = Figure(Images.Grid([Image(0, 4), Image(-1, 2)], 1, 2, ["a", "b"], 2, "t", "c", diverging: true))["data"]![0]!;
        var blank = Figure(Images.Grid([Image(0, 0)], 1, 2, ["a"], 1, "t", "c"))["data"]![0]!;

        Assert.Equal((0.0, 4.0), (ink["zmin"]!.GetValue<double>(), ink["zmax"]!.GetValue<double>()));
        Assert.Equal((-4.0, 4.0), (weights["zmin"]!.GetValue<double>(), weights["zmax"]!.GetValue<double>()));
        Assert.Equal(1.0, blank["zmax"]!.GetValue<double>());
        Assert.Equal("c", ink["colorbar"]!["title"]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0, 2, 1, 1, 110, "rows")]
    [InlineData(1, 2, 0, 1, 110, "columns")]
    [InlineData(1, 2, 1, 2, 110, "captions")]
    [InlineData(1, 2, 1, 1, 19, "tileSize")]
    [InlineData(1, 3, 1, 1, 110, "images")]
    public void Bad_sizes_and_counts_are_an_error_naming_the_argument(int rows, int cols, int columns, int captions,
        int tileSize, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Images.Grid([Image(1, 2)], rows, cols,
            Enumerable.Repeat("x", captions).ToList(), columns, "t", "c", tileSize: tileSize));

        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void No_images_or_an_image_holding_NaN_is_an_error_naming_images()
    {
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => Images.Grid([], 1, 2, [], 1, "t", "c")).ParamName);
        Assert.Equal("images", Assert.Throws<ArgumentException>(() =>
            Images.Grid([Image(1, double.NaN)], 1, 2, ["a"], 1, "t", "c")).ParamName);
    }
}
