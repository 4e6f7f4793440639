using Plotly.NET;

namespace Workbook.Host;

/// <summary>Static renderings of charts (image/png) for viewers that do not run scripts.</summary>
public static class ChartImages
{
    /// <summary>Extra MIME entries for <paramref name="chart"/>; empty when no renderer is available.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Render(GenericChart chart)
    {
        _ = chart;
        return [];
    }
}
