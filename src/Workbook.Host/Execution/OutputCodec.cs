using System.Text.Json;
using System.Text.Json.Nodes;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Execution;

/// <summary>The one translation of <see cref="CellOutput"/>s: to nbformat output JSON (saved notebooks), to the
/// content of Jupyter iopub messages (the kernel), and to and from the worker's wire format (JSON lines between a
/// <see cref="WorkerExecutor"/> and its worker process).</summary>
/// <remarks>One set of rules for MIME bundles: a JSON MIME type (<c>application/json</c>, <c>*+json</c>) becomes a
/// JSON value when its text parses, and stays a string when it does not (never an exception); text in a saved
/// notebook is a list of lines, base64 images a single string; iopub and the wire carry strings as they are.</remarks>
internal static class OutputCodec
{
    /// <summary>How the worker protocol writes its JSON lines: only what JSON requires is escaped (the lines go over
    /// pipes, never into HTML), so a chart's inlined plotly.js is not inflated by <c>\uXXXX</c> escapes.</summary>
    internal static System.Text.Json.JsonSerializerOptions WireJsonOptions { get; } =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True for MIME types whose content Jupyter stores as a JSON value rather than a string.</summary>
    public static bool IsJsonMimeType(string mimeType) =>
        mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>An output as nbformat 4 output JSON. A <see cref="DisplayUpdateOutput"/> is not a saved output:
    /// fold it with <see cref="OutputCollector"/> first.</summary>
    /// <exception cref="ArgumentException">The output is a display update, or of an unknown kind.</exception>
    public static JsonObject ToIpynb(CellOutput output) => output switch
    {
        StreamOutput s => new JsonObject
        {
            ["output_type"] = "stream",
            ["name"] = s.Name,
            ["text"] = IpynbDocument.ToSourceLines(s.Text),
        },
        DisplayOutput d => new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = Bundle(d.Data, BundleStyle.Ipynb),
            ["metadata"] = new JsonObject(),
        },
        ReturnValueOutput r => new JsonObject
        {
            ["output_type"] = "execute_result",
            ["data"] = Bundle(r.Data, BundleStyle.Ipynb),
            ["execution_count"] = r.ExecutionCount,
            ["metadata"] = new JsonObject(),
        },
        ErrorOutput e => new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = e.Name,
            ["evalue"] = e.Message,
            ["traceback"] = Strings(e.Traceback),
        },
        DisplayUpdateOutput => throw new ArgumentException(
            "a display update is not a saved output; fold the outputs with OutputCollector first", nameof(output)),
        _ => throw new ArgumentException($"unknown output kind {output.GetType().Name}", nameof(output)),
    };

    /// <summary>The outputs as an nbformat <c>outputs</c> array.</summary>
    public static JsonArray ToIpynb(IEnumerable<CellOutput> outputs) =>
        new(outputs.Select(o => (JsonNode)ToIpynb(o)).ToArray());

    /// <summary>An output as an iopub message: its <c>msg_type</c> and content.</summary>
    /// <param name="output">The output.</param>
    /// <param name="executionCount">The execution count an <c>execute_result</c> carries.</param>
    public static (string MsgType, JsonObject Content) ToIopub(CellOutput output, int executionCount) => output switch
    {
        StreamOutput s => ("stream", new JsonObject { ["name"] = s.Name, ["text"] = s.Text }),
        DisplayOutput d => ("display_data", WithDisplayId(new JsonObject
        {
            ["data"] = Bundle(d.Data, BundleStyle.Message),
            ["metadata"] = new JsonObject(),
        }, d.DisplayId)),
        DisplayUpdateOutput u => ("update_display_data", WithDisplayId(new JsonObject
        {
            ["data"] = Bundle(u.Data, BundleStyle.Message),
            ["metadata"] = new JsonObject(),
        }, u.DisplayId)),
        ReturnValueOutput r => ("execute_result", new JsonObject
        {
            ["execution_count"] = executionCount,
            ["data"] = Bundle(r.Data, BundleStyle.Message),
            ["metadata"] = new JsonObject(),
        }),
        ErrorOutput e => ("error", new JsonObject
        {
            ["ename"] = e.Name,
            ["evalue"] = e.Message,
            ["traceback"] = Traceback(e),
        }),
        _ => throw new ArgumentException($"unknown output kind {output.GetType().Name}", nameof(output)),
    };

    /// <summary>The traceback lines Jupyter shows for an error: its own, or <c>Name: Message</c> when it has none.</summary>
    public static JsonArray Traceback(ErrorOutput error) =>
        Strings(error.Traceback.Count > 0 ? error.Traceback : [$"{error.Name}: {error.Message}"]);

    /// <summary>A MIME bundle as Jupyter message JSON (<c>inspect_reply</c>, <c>display_data</c>).</summary>
    public static JsonObject ToMessageBundle(IReadOnlyDictionary<string, string> data) => Bundle(data, BundleStyle.Message);

    /// <summary>An output in the worker's wire format.</summary>
    public static JsonObject ToWire(CellOutput output) => output switch
    {
        StreamOutput s => new JsonObject { ["kind"] = "stream", ["name"] = s.Name, ["text"] = s.Text },
        DisplayOutput d => new JsonObject { ["kind"] = "display", ["data"] = Bundle(d.Data, BundleStyle.Wire), ["id"] = d.DisplayId },
        DisplayUpdateOutput u => new JsonObject { ["kind"] = "update", ["data"] = Bundle(u.Data, BundleStyle.Wire), ["id"] = u.DisplayId },
        ReturnValueOutput r => new JsonObject { ["kind"] = "result", ["data"] = Bundle(r.Data, BundleStyle.Wire), ["count"] = r.ExecutionCount },
        ErrorOutput e => new JsonObject
        {
            ["kind"] = "error", ["name"] = e.Name, ["message"] = e.Message, ["traceback"] = Strings(e.Traceback),
        },
        _ => throw new ArgumentException($"unknown output kind {output.GetType().Name}", nameof(output)),
    };

    /// <summary>Reads an output in the worker's wire format.</summary>
    /// <exception cref="FormatException">The JSON is not an output (unknown kind, a missing or mistyped field).</exception>
    public static CellOutput FromWire(JsonObject o)
    {
        try
        {
            return Text(o, "kind") switch
            {
                "stream" => new StreamOutput(Text(o, "name"), Text(o, "text")),
                "display" => new DisplayOutput(WireBundle(o["data"]), o["id"]?.GetValue<string>()),
                "update" => new DisplayUpdateOutput(WireBundle(o["data"]), Text(o, "id")),
                "result" => new ReturnValueOutput(WireBundle(o["data"]),
                    o["count"]?.GetValue<int>() ?? throw new FormatException("the output has no 'count'")),
                "error" => ErrorFromWire(o),
                string kind => throw new FormatException($"unknown output kind '{kind}'"),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException)
        {
            throw new FormatException($"the output is malformed: {e.Message}", e);
        }
    }

    /// <summary>Reads an error in the worker's wire format.</summary>
    /// <exception cref="FormatException">The JSON is not an error output.</exception>
    public static ErrorOutput ErrorFromWire(JsonObject o)
    {
        try
        {
            var traceback = o["traceback"] as JsonArray ?? [];
            return new ErrorOutput(Text(o, "name"), Text(o, "message"),
                traceback.Select(l => l?.GetValue<string>() ?? "").ToList());
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException)
        {
            throw new FormatException($"the error output is malformed: {e.Message}", e);
        }
    }

    /// <summary>A MIME bundle in the wire format (MIME type to string).</summary>
    public static JsonObject ToWireBundle(IReadOnlyDictionary<string, string> data) => Bundle(data, BundleStyle.Wire);

    /// <summary>Reads a MIME bundle in the wire format; null is an empty bundle.</summary>
    /// <exception cref="FormatException">A value is not a string.</exception>
    public static Dictionary<string, string> WireBundle(JsonNode? node)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return data;
        }

        if (node is not JsonObject o)
        {
            throw new FormatException("the MIME bundle is not a JSON object");
        }

        foreach (var (mime, value) in o)
        {
            data[mime] = value is JsonValue v && v.TryGetValue(out string? s)
                ? s
                : throw new FormatException($"the MIME bundle's '{mime}' is not a string");
        }

        return data;
    }

    private enum BundleStyle
    {
        Ipynb,
        Message,
        Wire,
    }

    private static JsonObject Bundle(IReadOnlyDictionary<string, string> data, BundleStyle style)
    {
        var bundle = new JsonObject();
        foreach (var (mime, value) in data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            bundle[mime] = style switch
            {
                BundleStyle.Wire => JsonValue.Create(value),
                _ when IsJsonMimeType(mime) => ParseOrText(value),
                BundleStyle.Ipynb when !mime.StartsWith("image/", StringComparison.Ordinal) || mime == "image/svg+xml" =>
                    IpynbDocument.ToSourceLines(value),
                _ => JsonValue.Create(value),
            };
        }

        return bundle;
    }

    /// <summary>The JSON value of a <c>*json</c> MIME type's text, or the text itself when it is not valid JSON.</summary>
    private static JsonNode? ParseOrText(string value)
    {
        try
        {
            return JsonNode.Parse(value) ?? JsonValue.Create(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }

    private static JsonObject WithDisplayId(JsonObject content, string? displayId)
    {
        if (displayId is not null)
        {
            content["transient"] = new JsonObject { ["display_id"] = displayId };
        }

        return content;
    }

    private static JsonArray Strings(IEnumerable<string> lines) =>
        new(lines.Select(l => (JsonNode)JsonValue.Create(l)).ToArray());

    private static string Text(JsonObject o, string name) =>
        o[name]?.GetValue<string>() ?? throw new FormatException($"the output has no '{name}'");
}
