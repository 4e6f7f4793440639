using System.Text.Json.Nodes;

namespace Workbook.Host.Notebooks;

/// <summary>The shape checks of a notebook's JSON that the workbook relies on, after nbformat 4's schema: every
/// value the host reads has the type the schema gives it, so no reader downstream meets a number where it expects a
/// string. A notebook from outside (a student's submission) is data: each problem becomes a
/// <see cref="NotebookFormatException"/> naming the place ("cell 3 'metadata' is an array, expected an object").</summary>
internal static class NotebookShape
{
    /// <summary>The cell types of nbformat 4.</summary>
    private static readonly string[] CellTypes = ["code", "markdown", "raw"];

    /// <summary>Notebook-level metadata entries the workbook reads, which must be objects when present.</summary>
    private static readonly string[] ObjectMetadata = ["kernelspec", "language_info", "polyglot_notebook", "dotnet_interactive", "workbook"];

    /// <summary>Checks the notebook object <paramref name="root"/>; throws on the first problem.</summary>
    /// <exception cref="NotebookFormatException">A value has the wrong type.</exception>
    public static void Check(JsonObject root, string origin)
    {
        if (root["nbformat"] is not JsonValue v || !v.TryGetValue(out int major) || major != 4)
        {
            throw new NotebookFormatException(origin, "is not an nbformat 4 notebook (missing or wrong 'nbformat')");
        }

        if (root["cells"] is not JsonArray cells)
        {
            throw new NotebookFormatException(origin, "has no 'cells' array");
        }

        if (root.TryGetPropertyValue("metadata", out var metadata))
        {
            var m = ExpectObject(metadata, origin, "the notebook's 'metadata'");
            foreach (string key in ObjectMetadata)
            {
                if (m.TryGetPropertyValue(key, out var entry) && entry is not null)
                {
                    ExpectObject(entry, origin, $"the notebook's 'metadata.{key}'");
                }
            }
        }

        for (int i = 0; i < cells.Count; i++)
        {
            CheckCell(cells[i], origin, $"cell {i + 1}");
        }
    }

    private static void CheckCell(JsonNode? node, string origin, string where)
    {
        if (node is not JsonObject cell)
        {
            throw new NotebookFormatException(origin, $"{where} is {Describe(node)}, expected an object");
        }

        if (!cell.TryGetPropertyValue("cell_type", out var typeNode))
        {
            throw new NotebookFormatException(origin, $"{where} has no 'cell_type'");
        }

        string type = ExpectString(typeNode, origin, $"{where} 'cell_type'");
        if (!CellTypes.Contains(type, StringComparer.Ordinal))
        {
            throw new NotebookFormatException(origin, $"{where} 'cell_type' is '{Clip(type)}', expected code, markdown or raw");
        }

        if (cell.TryGetPropertyValue("id", out var id) && id is not null)
        {
            ExpectString(id, origin, $"{where} 'id'");
        }

        if (cell.TryGetPropertyValue("source", out var source))
        {
            ExpectText(source, origin, $"{where} 'source'");
        }

        if (cell.TryGetPropertyValue("metadata", out var metadata))
        {
            var m = ExpectObject(metadata, origin, $"{where} 'metadata'");
            if (m.TryGetPropertyValue("tags", out var tags))
            {
                ExpectStrings(tags, origin, $"{where} 'metadata.tags'");
            }

            foreach (string key in (string[])["nbgrader", "polyglot_notebook", "dotnet_interactive", "workbook", "jupyter"])
            {
                if (m.TryGetPropertyValue(key, out var entry) && entry is not null)
                {
                    ExpectObject(entry, origin, $"{where} 'metadata.{key}'");
                }
            }
        }

        if (cell.TryGetPropertyValue("attachments", out var attachments) && attachments is not null)
        {
            ExpectObject(attachments, origin, $"{where} 'attachments'");
        }

        if (type != "code")
        {
            return;
        }

        if (cell.TryGetPropertyValue("execution_count", out var count) && count is not null &&
            !(count is JsonValue c && c.TryGetValue(out int _)))
        {
            throw new NotebookFormatException(origin, $"{where} 'execution_count' is {Describe(count)}, expected a whole number or null");
        }

        if (cell.TryGetPropertyValue("outputs", out var outputs))
        {
            if (outputs is not JsonArray list)
            {
                throw new NotebookFormatException(origin, $"{where} 'outputs' is {Describe(outputs)}, expected an array");
            }

            for (int k = 0; k < list.Count; k++)
            {
                CheckOutput(list[k], origin, $"{where} output {k + 1}");
            }
        }
    }

    private static void CheckOutput(JsonNode? node, string origin, string where)
    {
        if (node is not JsonObject output)
        {
            throw new NotebookFormatException(origin, $"{where} is {Describe(node)}, expected an object");
        }

        if (!output.TryGetPropertyValue("output_type", out var typeNode))
        {
            throw new NotebookFormatException(origin, $"{where} has no 'output_type'");
        }

        switch (ExpectString(typeNode, origin, $"{where} 'output_type'"))
        {
            case "stream":
                ExpectString(output["name"], origin, $"{where} 'name'");
                ExpectText(output["text"], origin, $"{where} 'text'");
                break;
            case "display_data" or "execute_result":
                var data = ExpectObject(output["data"] ?? new JsonObject(), origin, $"{where} 'data'");
                foreach (var (mime, value) in data)
                {
                    if (value is not JsonObject)
                    {
                        // JSON mime types (application/json, ...+json) hold any JSON; the others hold text.
                        if (!mime.EndsWith("json", StringComparison.Ordinal))
                        {
                            ExpectText(value, origin, $"{where} '{Clip(mime)}'");
                        }
                    }
                }

                if (output.TryGetPropertyValue("metadata", out var meta) && meta is not null)
                {
                    ExpectObject(meta, origin, $"{where} 'metadata'");
                }

                break;
            case "error":
                ExpectString(output["ename"], origin, $"{where} 'ename'");
                ExpectString(output["evalue"], origin, $"{where} 'evalue'");
                if (output.TryGetPropertyValue("traceback", out var traceback))
                {
                    ExpectStrings(traceback, origin, $"{where} 'traceback'");
                }

                break;
            case var other:
                throw new NotebookFormatException(origin,
                    $"{where} 'output_type' is '{Clip(other)}', expected stream, display_data, execute_result or error");
        }
    }

    private static JsonObject ExpectObject(JsonNode? node, string origin, string where) =>
        node as JsonObject ?? throw new NotebookFormatException(origin, $"{where} is {Describe(node)}, expected an object");

    private static string ExpectString(JsonNode? node, string origin, string where) =>
        node is JsonValue v && v.TryGetValue(out string? s)
            ? s
            : throw new NotebookFormatException(origin, $"{where} is {Describe(node)}, expected a string");

    /// <summary>Multi-line text as nbformat writes it: a string, or an array of strings.</summary>
    private static void ExpectText(JsonNode? node, string origin, string where)
    {
        if (node is JsonArray)
        {
            ExpectStrings(node, origin, where);
        }
        else if (!(node is JsonValue v && v.TryGetValue(out string? _)))
        {
            throw new NotebookFormatException(origin, $"{where} is {Describe(node)}, expected a string or an array of strings");
        }
    }

    private static void ExpectStrings(JsonNode? node, string origin, string where)
    {
        if (node is not JsonArray array)
        {
            throw new NotebookFormatException(origin, $"{where} is {Describe(node)}, expected an array of strings");
        }

        for (int i = 0; i < array.Count; i++)
        {
            if (!(array[i] is JsonValue v && v.TryGetValue(out string? _)))
            {
                throw new NotebookFormatException(origin, $"{where} item {i + 1} is {Describe(array[i])}, expected a string");
            }
        }
    }

    /// <summary>"a number", "an array", ...: the JSON kind of <paramref name="node"/>, never its content.</summary>
    private static string Describe(JsonNode? node) => node switch
    {
        null => "missing or null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "a string",
            System.Text.Json.JsonValueKind.Number => "a number",
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "a boolean",
            _ => "a value of another kind",
        },
        _ => "a value of another kind",
    };

    /// <summary>A name from the file, cut short and kept to printable characters for a one-line message.</summary>
    private static string Clip(string s)
    {
        var chars = s.Take(40).Select(ch => char.IsControl(ch) ? '?' : ch).ToArray();
        return new string(chars) + (s.Length > 40 ? "..." : "");
    }
}
