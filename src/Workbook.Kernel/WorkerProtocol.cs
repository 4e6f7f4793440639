using System.Text.Json.Nodes;
using Workbook.Host;

namespace Workbook.Kernel;

/// <summary>The JSON-lines protocol between the kernel and its worker process: requests
/// (<c>execute</c>, <c>complete</c>, <c>inspect</c>, <c>interrupt</c>) go to the worker's stdin; outputs, outcomes
/// and answers come back on its stdout, one JSON object per line, tagged with the request id.</summary>
internal static class WorkerProtocol
{
    public static JsonObject ToJson(CellOutput output) => output switch
    {
        StreamOutput s => new JsonObject { ["kind"] = "stream", ["name"] = s.Name, ["text"] = s.Text },
        DisplayOutput d => new JsonObject { ["kind"] = "display", ["data"] = Bundle(d.Data), ["id"] = d.DisplayId },
        DisplayUpdateOutput u => new JsonObject { ["kind"] = "update", ["data"] = Bundle(u.Data), ["id"] = u.DisplayId },
        ReturnValueOutput r => new JsonObject { ["kind"] = "result", ["data"] = Bundle(r.Data), ["count"] = r.ExecutionCount },
        ErrorOutput e => new JsonObject
        {
            ["kind"] = "error", ["name"] = e.Name, ["message"] = e.Message,
            ["traceback"] = new JsonArray(e.Traceback.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()),
        },
        _ => throw new ArgumentException($"unknown output {output.GetType().Name}", nameof(output)),
    };

    public static CellOutput FromJson(JsonObject o) => o["kind"]!.GetValue<string>() switch
    {
        "stream" => new StreamOutput(o["name"]!.GetValue<string>(), o["text"]!.GetValue<string>()),
        "display" => new DisplayOutput(Bundle(o["data"]), o["id"]?.GetValue<string>()),
        "update" => new DisplayUpdateOutput(Bundle(o["data"]), o["id"]!.GetValue<string>()),
        "result" => new ReturnValueOutput(Bundle(o["data"]), o["count"]!.GetValue<int>()),
        "error" => ErrorFromJson(o)!,
        string kind => throw new FormatException($"unknown output kind '{kind}'"),
    };

    public static ErrorOutput? ErrorFromJson(JsonNode? node) => node is JsonObject o
        ? new ErrorOutput(o["name"]!.GetValue<string>(), o["message"]!.GetValue<string>(),
            o["traceback"]!.AsArray().Select(l => l!.GetValue<string>()).ToList())
        : null;

    public static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var o = new JsonObject();
        foreach (var (k, v) in data)
        {
            o[k] = v;
        }

        return o;
    }

    public static Dictionary<string, string> Bundle(JsonNode? node) =>
        node is JsonObject o
            ? o.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
