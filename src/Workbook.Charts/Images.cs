using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Workbook.Charts;

/// <summary>Small images drawn as heatmaps: 8 x 8 digits, or a classifier's weights laid out as the pixels they
/// multiply. Several images are tiled into one heatmap with blank gaps, each with a caption above it, so they share
/// one colour scale and read as a contact sheet.</summary>
public static class Images
{
    /// <summary>Tiles <paramref name="images"/> (each <paramref name="rows"/> x <paramref name="cols"/> values,
    /// row by row from the top left) into a grid of <paramref name="columns"/> tiles per line, captioned.</summary>
    /// <param name="images">The images, all of rows * cols values.</param>
    /// <param name="rows">Pixel rows of each image.</param>
    /// <param name="cols">Pixel columns of each image.</param>
    /// <param name="captions">One caption per image, drawn above it.</param>
    /// <param name="columns">Tiles per line of the grid, at least 1.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="colorTitle">Title of the colour bar, with its unit.</param>
    /// <param name="diverging">Use a red–white–blue scale centred on 0 (for weights); otherwise greys from white (0)
    /// to black (the largest value), as ink on paper.</param>
    /// <param name="tileSize">Pixels per tile on screen.</param>
    /// <exception cref="ArgumentException">No images, an image of the wrong size or holding NaN, captions of another
    /// count, or a bad size.</exception>
    public static GenericChart Grid(IReadOnlyList<double[]> images, int rows, int cols, IReadOnlyList<string> captions,
        int columns, string title, string colorTitle, bool diverging = false, int tileSize = 110)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(captions);
        if (images.Count == 0)
        {
            throw new ArgumentException("images is empty, expected at least one image", nameof(images));
        }

        if (rows < 1 || cols < 1)
        {
            throw new ArgumentException($"rows x cols is {rows} x {cols}, expected at least 1 x 1", nameof(rows));
        }

        if (columns < 1)
        {
            throw new ArgumentException($"columns is {columns}, expected at least 1", nameof(columns));
        }

        if (captions.Count != images.Count)
        {
            throw new ArgumentException($"captions has {captions.Count} entries but images has {images.Count}", nameof(captions));
        }

        for (int i = 0; i < images.Count; i++)
        {
            if (images[i] is null || images[i].Length != rows * cols || images[i].Any(double.IsNaN))
            {
                throw new ArgumentException($"images[{i}] is not {rows * cols} numbers ({rows} x {cols}, no NaN)", nameof(images));
            }
        }

        if (tileSize < 20)
        {
            throw new ArgumentException($"tileSize is {tileSize}, expected at least 20 pixels", nameof(tileSize));
        }

        int lines = (images.Count + columns - 1) / columns;
        int height = lines * (rows + 2) - 1;   // a blank row between lines and one for the caption
        int width = columns * (cols + 1) - 1;
        var z = new double?[height][];
        for (int r = 0; r < height; r++)
        {
            z[r] = new double?[width];
        }

        var annotations = new List<Dictionary<string, object>>();
        for (int i = 0; i < images.Count; i++)
        {
            int top = i / columns * (rows + 2) + 1, left = i % columns * (cols + 1);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    z[top + r][left + c] = images[i][r * cols + c];
                }
            }

            annotations.Add(new Dictionary<string, object>
            {
                ["x"] = left + (cols - 1) / 2.0, ["y"] = top - 1, ["xref"] = "x", ["yref"] = "y",
                ["text"] = captions[i], ["showarrow"] = false, ["font"] = new Dictionary<string, object> { ["size"] = 11 },
            });
        }

        double max = images.Max(im => im.Max(Math.Abs));
        max = max > 0 ? max : 1;
        // Plotly.NET's typed heatmap takes no gaps; the z matrix with nulls (blank tiles) is set on the trace.
        var chart = CSharpChart.Heatmap<double, int, int, string>(z.Select(r => r.Select(v => v ?? 0.0)));
        chart = GenericChart.mapTrace(Microsoft.FSharp.Core.FuncConvert.FromFunc<Trace, Trace>(t =>
        {
            t.SetProperty("colorscale", diverging
                ? new object[] { new object[] { 0, "rgb(178,24,43)" }, new object[] { 0.5, "rgb(255,255,255)" }, new object[] { 1, "rgb(33,102,172)" } }
                : new object[] { new object[] { 0, "rgb(255,255,255)" }, new object[] { 1, "rgb(0,0,0)" } });
            t.SetProperty("zmin", diverging ? -max : 0);
            t.SetProperty("zmax", max);
            t.SetProperty("z", z.Select(r => r.Select(v => v.HasValue ? (object)v.Value : null).ToArray()).ToArray());
            t.SetProperty("hoverongaps", false);
            t.SetProperty("colorbar", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = colorTitle } });
            return t;
        }), chart);
        var layout = new Layout();
        layout.SetProperty("title", new Dictionary<string, object> { ["text"] = title });
        layout.SetProperty("width", Math.Max(300, columns * tileSize + 120));
        layout.SetProperty("height", lines * (tileSize + 24) + 90);
        var hidden = new Dictionary<string, object> { ["visible"] = false, ["scaleanchor"] = "y" };
        layout.SetProperty("xaxis", hidden);
        layout.SetProperty("yaxis", new Dictionary<string, object> { ["visible"] = false, ["autorange"] = "reversed" });
        layout.SetProperty("annotations", annotations);
        layout.SetProperty("plot_bgcolor", "white");
        return GenericChart.addLayout(layout, chart);
    }
}
