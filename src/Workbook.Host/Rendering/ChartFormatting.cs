using System.Globalization;
using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Workbook.Host.Rendering;

/// <summary>Renders Plotly.NET charts as HTML that draws with no network: plotly.js (shipped inside
/// Plotly.NET.dll) is inlined once per session, and every chart waits for it. One instance is one session (one
/// kernel): it owns the session's state, and <see cref="Register"/> makes it the formatter of the kernel's
/// charts.</summary>
/// <remarks>Plotly.NET.Interactive's own formatter loads plotly.js from a CDN through require.js, which fails
/// offline and in viewers without require.js. The host registers this formatter after loading that extension, so
/// this one wins. The inlined bundle is wrapped so that it always defines <c>window.Plotly</c>, even on pages
/// that have an AMD loader. The figure JSON is written by <see cref="FigureJson"/>, which serialises a chart's
/// template (the same for nearly every chart, and most of the work) once per session.</remarks>
internal sealed class ChartFormatting
{
    /// <summary>The <c>id</c> of the script element that carries the inlined plotly.js.</summary>
    public const string PlotlyScriptId = "workbook-plotlyjs";

    /// <summary>The CSS class of every chart's container.</summary>
    public const string ChartClass = "workbook-chart";

    private static readonly Lazy<string> PlotlyJsSource = new(ReadPlotlyJs);
    private static readonly Lazy<string> InlineScript = new(() =>
        $"<script type=\"text/javascript\" id=\"{PlotlyScriptId}\" data-plotly-version=\"{PlotlyJsVersion}\">\n" +
        "if (!window.Plotly) { (function (define, module, exports) {\n" +
        EscapeScript(PlotlyJs) +
        "\n}).call(window, undefined, undefined, undefined); }\n</script>\n");
    private readonly FigureJsonWriter _figures = new();
    private int _chartCounter;
    private int _plotlyEmitted;

    /// <summary>plotly.js as shipped by Plotly.NET (the full minified bundle).</summary>
    public static string PlotlyJs => PlotlyJsSource.Value;

    /// <summary>The plotly.js version inside Plotly.NET.</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>Makes this session the formatter for <see cref="GenericChart"/> (text/html) in this process.</summary>
    public void Register()
    {
        Formatter.Register<GenericChart>(
            (chart, writer) => writer.Write(ToHtml(chart)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), HtmlFormatter.MimeType);
    }

    /// <summary>The chart as an HTML fragment; the first in a session also defines plotly.js.</summary>
    public string ToHtml(GenericChart chart)
    {
        string figure = FigureJson(chart);
        int n = Interlocked.Increment(ref _chartCounter);
        string id = "workbook-chart-" + n.ToString(CultureInfo.InvariantCulture) + "-" +
                    Guid.NewGuid().ToString("N")[..8];
        string prelude = Interlocked.Exchange(ref _plotlyEmitted, 1) == 0 ? InlinePlotlyScript() : "";
        return prelude +
               $"<div id=\"{id}\" class=\"{ChartClass}\"></div>\n" +
               "<script type=\"text/javascript\">\n" +
               "(function () {\n" +
               $"  var figure = {EscapeScript(figure)};\n" +
               "  var config = Object.assign({ responsive: true }, figure.config || {});\n" +
               "  var tries = 0;\n" +
               "  function draw() {\n" +
               $"    var el = document.getElementById('{id}');\n" +
               "    if (window.Plotly && el) { window.Plotly.newPlot(el, figure.data, figure.layout || {}, config); }\n" +
               "    else if (tries++ < 400) { setTimeout(draw, 25); }\n" +
               "  }\n" +
               "  draw();\n" +
               "})();\n" +
               "</script>\n";
    }

    /// <summary>The chart's figure (<c>{"data":[...],"layout":{...},"frames":[...]}</c>), the same JSON as
    /// <see cref="GenericChart.toFigureJson"/>; a template serialised before in this session is reused.</summary>
    public string FigureJson(GenericChart chart) => _figures.Write(chart);

    /// <summary>A script element that defines <c>window.Plotly</c> from the inlined bundle.</summary>
    public static string InlinePlotlyScript() => InlineScript.Value;

    private static string EscapeScript(string js) => js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);

    private static string ReadPlotlyJs()
    {
        Assembly plotly = typeof(GenericChart).Assembly;
        string name = plotly.GetManifestResourceNames()
            .Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = plotly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
