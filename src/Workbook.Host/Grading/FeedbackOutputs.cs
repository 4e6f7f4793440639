using System.Text.Json.Nodes;

namespace Workbook.Host.Grading;

/// <summary>A student's outputs as the feedback shows them: text and images only. Everything a cell displayed ran
/// in the student's process and is the student's to choose, so HTML, JavaScript, SVG and markdown outputs (which a
/// notebook viewer would render live) are dropped, with a line saying so, and output metadata is not kept.</summary>
internal static class FeedbackOutputs
{
    /// <summary>The MIME types kept: plain text, and PNG and JPEG images whose data is plain base64.</summary>
    private static readonly string[] Kept = ["text/plain", "image/png", "image/jpeg"];

    /// <summary>The outputs of <paramref name="outputs"/> that the feedback may show (a new array).</summary>
    public static JsonArray Filter(JsonArray? outputs)
    {
        var result = new JsonArray();
        foreach (var output in (outputs ?? []).OfType<JsonObject>())
        {
            switch (output["output_type"]?.GetValue<string>())
            {
                case "stream":
                    result.Add(new JsonObject
                    {
                        ["output_type"] = "stream",
                        ["name"] = output["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stdout",
                        ["text"] = output["text"]?.DeepClone(),
                    });
                    break;
                case "error":
                    result.Add(new JsonObject
                    {
                        ["output_type"] = "error",
                        ["ename"] = output["ename"]?.DeepClone(),
                        ["evalue"] = output["evalue"]?.DeepClone(),
                        ["traceback"] = output["traceback"]?.DeepClone() ?? new JsonArray(),
                    });
                    break;
                case "display_data" or "execute_result":
                    var data = new JsonObject();
                    var dropped = new List<string>();
                    foreach (var (mime, value) in output["data"] as JsonObject ?? [])
                    {
                        if (Kept.Contains(mime, StringComparer.Ordinal) && (mime == "text/plain" || IsBase64(value)))
                        {
                            data[mime] = value?.DeepClone();
                        }
                        else
                        {
                            dropped.Add(mime);
                        }
                    }

                    if (dropped.Count > 0 && data["text/plain"] is null && data["image/png"] is null && data["image/jpeg"] is null)
                    {
                        data["text/plain"] = "[a rich output (" + string.Join(", ", dropped.Take(3).Select(m => SubmissionIntake.Shown(m))) +
                                             ") is not shown in the feedback]";
                    }

                    if (data.Count > 0)
                    {
                        result.Add(new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() });
                    }

                    break;
            }
        }

        return result;
    }

    private static bool IsBase64(JsonNode? value)
    {
        string text = value switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonArray lines => string.Concat(lines.Select(l => l is JsonValue lv && lv.TryGetValue(out string? t) ? t : "\"")),
            _ => "\"",
        };
        return text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '\n' or '\r');
    }
}
