using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Workbook.Charts;

/// <summary>Chart helpers for the notebooks: every chart gets a title and labelled axes, and log axes are one
/// flag away. Thin wrappers over Plotly.NET; the result is an ordinary <see cref="GenericChart"/>.</summary>
public static class Plot
{
    /// <summary>A line (optionally with markers) through the points (x[i], y[i]).</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static GenericChart Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string name,
        bool markers = false, string? color = null, bool dashed = false)
    {
        SameLength(x, y);
        var chart = CSharpChart.Line<double, double, string>(x.ToArray(), y.ToArray(), Name: name, ShowMarkers: markers,
            LineColor: ColorOf(color),
            LineDash: dashed ? StyleParam.DrawingStyle.Dash : StyleParam.DrawingStyle.Solid);
        return chart;
    }

    /// <summary>Markers at the points (x[i], y[i]).</summary>
    public static GenericChart Points(IReadOnlyList<double> x, IReadOnlyList<double> y, string name, string? color = null)
    {
        SameLength(x, y);
        return CSharpChart.Point<double, double, string>(x.ToArray(), y.ToArray(), Name: name,
            MarkerColor: ColorOf(color));
    }

    /// <summary>A shaded band between <paramref name="lower"/> and <paramref name="upper"/> over x.</summary>
    public static GenericChart Band(IReadOnlyList<double> x, IReadOnlyList<double> lower, IReadOnlyList<double> upper,
        string name, string color = "rgba(99,110,250,0.2)")
    {
        SameLength(x, lower);
        SameLength(x, upper);
        var low = CSharpChart.Line<double, double, string>(x.ToArray(), lower.ToArray(), Name: name + " (low)",
            ShowLegend: false, LineColor: Color.fromString("rgba(0,0,0,0)"));
        var high = CSharpChart.Line<double, double, string>(x.ToArray(), upper.ToArray(), Name: name,
            LineColor: Color.fromString("rgba(0,0,0,0)"));
        high = GenericChart.mapTrace(
            Microsoft.FSharp.Core.FuncConvert.FromFunc<Trace, Trace>(t =>
            {
                t.SetProperty("fill", "tonexty");
                t.SetProperty("fillcolor", color);
                return t;
            }), high);
        return Combine(low, high);
    }

    /// <summary>A horizontal reference line at height <paramref name="y"/> from x0 to x1.</summary>
    public static GenericChart HorizontalLine(double x0, double x1, double y, string name, string color = "black") =>
        Line([x0, x1], [y, y], name, color: color, dashed: true);

    /// <summary>A histogram of <paramref name="values"/> (probability density when <paramref name="density"/>).</summary>
    public static GenericChart Histogram(IReadOnlyList<double> values, string name, int bins = 40, bool density = true,
        double opacity = 0.6)
    {
        var chart = CSharpChart.Histogram<double, double, string>(X: values.ToArray(), Name: name, NBinsX: bins,
            HistNorm: density ? StyleParam.HistNorm.ProbabilityDensity : StyleParam.HistNorm.None, Opacity: opacity);
        return chart;
    }

    /// <summary>Bars with category labels.</summary>
    public static GenericChart Bars(IReadOnlyList<string> labels, IReadOnlyList<double> values, string name, string? color = null)
    {
        if (labels.Count != values.Count)
        {
            throw new ArgumentException($"values has {values.Count} entries but labels has {labels.Count}", nameof(values));
        }

        return CSharpChart.Column<double, string, string>(values.ToArray(), Keys: labels.ToArray(), Name: name,
            MarkerColor: ColorOf(color));
    }

    /// <summary>Overlays several charts on the same axes.</summary>
    public static GenericChart Combine(params GenericChart[] charts) => CSharpChart.Combine(charts);

    /// <summary>Sets the title and axis labels (say the unit in them); optional log axes and size.</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xTitle">x-axis label, with its unit.</param>
    /// <param name="yTitle">y-axis label, with its unit.</param>
    /// <param name="logX">Logarithmic x axis (for n spanning decades).</param>
    /// <param name="logY">Logarithmic y axis.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="overlay">Draw bars and histograms over each other (translucent) instead of side by side.</param>
    /// <param name="xRange">A fixed x range (default: fitted to the data), so that a slider's steps share one axis.
    /// On a log axis the ends are in decades (log10 of the values).</param>
    /// <param name="yRange">A fixed y range, likewise.</param>
    /// <exception cref="ArgumentException">A range whose ends are not finite or not increasing.</exception>
    public static GenericChart Titled(this GenericChart chart, string title, string xTitle, string yTitle,
        bool logX = false, bool logY = false, int width = 760, int height = 440, bool overlay = false,
        (double Min, double Max)? xRange = null, (double Min, double Max)? yRange = null)
    {
        CheckRange(xRange, nameof(xRange));
        CheckRange(yRange, nameof(yRange));
        var layout = new Layout();
        if (overlay)
        {
            layout.SetProperty("barmode", "overlay");
        }

        layout.SetProperty("title", new Dictionary<string, object> { ["text"] = title });
        layout.SetProperty("width", width);
        layout.SetProperty("height", height);
        layout.SetProperty("xaxis", Axis(xTitle, logX ? "log" : null, xRange));
        layout.SetProperty("yaxis", Axis(yTitle, logY ? "log" : null, yRange));
        return GenericChart.addLayout(layout, chart);
    }

    /// <summary>Sets the title and axis labels of a chart whose x axis holds categories; optionally a fixed y range.</summary>
    /// <exception cref="ArgumentException">A range whose ends are not finite or not increasing.</exception>
    public static GenericChart TitledCategories(this GenericChart chart, string title, string xTitle, string yTitle,
        int width = 760, int height = 440, (double Min, double Max)? yRange = null)
    {
        CheckRange(yRange, nameof(yRange));
        var layout = new Layout();
        layout.SetProperty("title", new Dictionary<string, object> { ["text"] = title });
        layout.SetProperty("width", width);
        layout.SetProperty("height", height);
        layout.SetProperty("xaxis", Axis(xTitle, "category"));
        layout.SetProperty("yaxis", Axis(yTitle, null, yRange));
        return GenericChart.addLayout(layout, chart);
    }

    private static Dictionary<string, object> Axis(string title, string? type, (double Min, double Max)? range = null)
    {
        var axis = new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = title } };
        if (type is not null)
        {
            axis["type"] = type;
        }

        if (range is { } r)
        {
            axis["range"] = new[] { r.Min, r.Max };
        }

        return axis;
    }

    private static void CheckRange((double Min, double Max)? range, string name)
    {
        if (range is { } r && !(double.IsFinite(r.Min) && double.IsFinite(r.Max) && r.Min < r.Max))
        {
            throw new ArgumentException($"{name} is ({r.Min}, {r.Max}), expected finite ends with Min < Max", name);
        }
    }

    private static Plotly.NET.CSharp.Optional<Color> ColorOf(string? color) =>
        color is null ? new Plotly.NET.CSharp.Optional<Color>() : Color.fromString(color);

    /// <summary>n points spaced evenly on a log scale from 10^a to 10^b, inclusive.</summary>
    public static double[] LogSpace(double a, double b, int n)
    {
        if (n < 2)
        {
            throw new ArgumentException($"n is {n}, expected at least 2 points", nameof(n));
        }

        return Enumerable.Range(0, n).Select(i => Math.Pow(10, a + (b - a) * i / (n - 1))).ToArray();
    }

    /// <summary>n points spaced evenly from a to b, inclusive.</summary>
    public static double[] LinSpace(double a, double b, int n)
    {
        if (n < 2)
        {
            throw new ArgumentException($"n is {n}, expected at least 2 points", nameof(n));
        }

        return Enumerable.Range(0, n).Select(i => a + (b - a) * i / (n - 1)).ToArray();
    }

    private static void SameLength(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"y has {y.Count} points but x has {x.Count}; they must match", nameof(y));
        }
    }
}
