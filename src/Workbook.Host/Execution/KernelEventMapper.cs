using System.Globalization;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using Workbook.Host.Rendering;

namespace Workbook.Host.Execution;

/// <summary>Turns .NET Interactive kernel events into notebook outputs.</summary>
internal static class KernelEventMapper
{
    /// <summary>Maps the events of one cell's submission to its outputs, in order.</summary>
    /// <remarks>Package-install progress (the "Installing Packages" display that <c>#r "nuget:"</c> shows and
    /// keeps updating) is dropped: it is noise in a saved notebook. Any other updated display is replaced in place,
    /// as Jupyter's update_display_data does. Consecutive stream writes are merged.</remarks>
    public static List<CellOutput> ToOutputs(IEnumerable<KernelEvent> events, int executionCount)
    {
        var outputs = new List<CellOutput>();
        var displayIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var noiseIds = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<string>();

        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced so:
                    AppendStream(outputs, "stdout", PlainText(so));
                    break;
                case StandardErrorValueProduced se:
                    AppendStream(outputs, "stderr", PlainText(se));
                    break;
                case DisplayedValueUpdated du:
                    if (du.ValueId is { } uid && noiseIds.Contains(uid))
                    {
                        break;
                    }

                    if (du.ValueId is { } id2 && displayIndex.TryGetValue(id2, out int at))
                    {
                        outputs[at] = new DisplayOutput(Bundle(du), id2);
                    }

                    break;
                case DisplayedValueProduced dp:
                    if (IsPackageInstallNoise(dp))
                    {
                        if (dp.ValueId is { } nid)
                        {
                            noiseIds.Add(nid);
                        }

                        break;
                    }

                    if (dp.ValueId is { } vid)
                    {
                        displayIndex[vid] = outputs.Count;
                    }

                    outputs.Add(new DisplayOutput(Bundle(dp), dp.ValueId));
                    break;
                case ReturnValueProduced rv:
                    outputs.Add(new ReturnValueOutput(Bundle(rv), executionCount));
                    break;
                case DiagnosticsProduced dg:
                    diagnostics.AddRange(CompilerErrors(dg));
                    break;
                case CommandFailed failed:
                    outputs.Add(ToError(failed, diagnostics));
                    break;
            }
        }

        return outputs;
    }

    /// <summary>The compiler errors among a submission's diagnostics, as text.</summary>
    private static IEnumerable<string> CompilerErrors(DiagnosticsProduced produced) => produced.Diagnostics
        .Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
        .Select(d => d.ToString());

    /// <summary>The error of one cell's submission, or null when it succeeded: what <see cref="ToOutputs"/> would
    /// end with, without formatting (or drawing) any displayed value again.</summary>
    public static ErrorOutput? ErrorOf(IEnumerable<KernelEvent> events)
    {
        var diagnostics = new List<string>();
        foreach (var e in events)
        {
            switch (e)
            {
                case DiagnosticsProduced dg:
                    diagnostics.AddRange(CompilerErrors(dg));
                    break;
                case CommandFailed failed:
                    return ToError(failed, diagnostics);
            }
        }

        return null;
    }

    private static ErrorOutput ToError(CommandFailed failed, List<string> diagnostics)
    {
        if (failed.Exception is { } ex && !ex.GetType().Name.Contains("CompilationError", StringComparison.Ordinal))
        {
            var inner = ex is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : ex;
            return new ErrorOutput(inner.GetType().FullName ?? inner.GetType().Name, inner.Message,
                Lines(inner.ToString()));
        }

        string message = failed.Message;
        if (message.Contains("error CS", StringComparison.Ordinal) || diagnostics.Count > 0)
        {
            return new ErrorOutput("CompilationError", message.Trim(),
                diagnostics.Count > 0 ? diagnostics : Lines(message));
        }

        return new ErrorOutput("Error", message.Trim(), Lines(message));
    }

    private static bool IsPackageInstallNoise(DisplayEvent e) =>
        e.FormattedValues.Any(f => f.Value.Contains("<strong>Installing Packages</strong>", StringComparison.Ordinal) ||
                                   f.Value.Contains("<strong>Installed Packages</strong>", StringComparison.Ordinal) ||
                                   f.Value.Contains("<strong>Restore sources</strong>", StringComparison.Ordinal));

    private static void AppendStream(List<CellOutput> outputs, string name, string text)
    {
        if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == name)
        {
            outputs[^1] = last with { Text = last.Text + text };
        }
        else
        {
            outputs.Add(new StreamOutput(name, text));
        }
    }

    private static string PlainText(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(f => f.MimeType == PlainTextFormatter.MimeType)?.Value
        ?? e.FormattedValues.FirstOrDefault()?.Value
        ?? e.Value?.ToString()
        ?? "";

    /// <summary>The MIME bundle for a displayed value: what the kernel formatted, with a short text/plain
    /// always present; simple values (numbers, strings, booleans) are shown as plain text only. A chart's static
    /// image is not drawn here: the executor adds it later as a display update.</summary>
    public static Dictionary<string, string> Bundle(DisplayEvent e)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        object? value = e.Value;
        if (value is not null && IsSimple(value))
        {
            data[PlainTextFormatter.MimeType] = value switch
            {
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => value.ToString() ?? "",
            };
            return data;
        }

        foreach (var f in e.FormattedValues)
        {
            data[f.MimeType] = f.Value;
        }

        if (!data.ContainsKey(PlainTextFormatter.MimeType))
        {
            data[PlainTextFormatter.MimeType] = value switch
            {
                null => "",
                GenericChart => "Plotly.NET chart (interactive HTML; a static image is attached where chromium is available)",
                _ => Formatter.ToDisplayString(value, PlainTextFormatter.MimeType),
            };
        }

        return data;
    }

    private static bool IsSimple(object value) =>
        value is string or decimal or bool or char || value.GetType().IsPrimitive || value.GetType().IsEnum;

    private static List<string> Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
}
