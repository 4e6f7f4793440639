using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace Workbook.Host;

/// <summary>A Jupyter notebook (.ipynb, nbformat 4) held as its JSON, so that nothing of the source (metadata,
/// attachments, cell ids) is lost when the host writes the executed copy.</summary>
/// <remarks>Cells and their kernels are read with <see cref="Notebook.Parse(string, KernelInfoCollection)"/>
/// (Microsoft.DotNet.Interactive.Documents), the parser .NET Interactive itself uses; the JSON is kept alongside
/// for a faithful round trip. The written file is nbformat 4.5: every cell has an <c>id</c>.</remarks>
public sealed class IpynbDocument
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly JsonObject _root;

    private IpynbDocument(JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        _root = root;
        Cells = cells;
    }

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The notebook-level metadata (kernelspec, polyglot_notebook, ...).</summary>
    public JsonObject Metadata => (JsonObject)(_root["metadata"] ??= new JsonObject());

    /// <summary>The kernels a .NET notebook can name; C# is the default.</summary>
    public static KernelInfoCollection Kernels { get; } = CreateKernels();

    /// <summary>Reads a notebook file.</summary>
    /// <exception cref="NotebookFormatException">The file is not a readable nbformat 4 notebook.</exception>
    public static IpynbDocument Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(path, $"cannot be read: {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses notebook JSON. <paramref name="origin"/> names the source in error messages.</summary>
    /// <exception cref="NotebookFormatException">Not JSON, not nbformat 4, or without a <c>cells</c> array.</exception>
    public static IpynbDocument Parse(string json, string origin = "notebook")
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new NotebookFormatException(origin, "is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(origin, $"is not valid JSON: {e.Message}", e);
        }

        if (root["nbformat"] is not JsonValue v || !v.TryGetValue(out int major) || major != 4)
        {
            throw new NotebookFormatException(origin, "is not an nbformat 4 notebook (missing or wrong 'nbformat')");
        }

        if (root["cells"] is not JsonArray cellsJson)
        {
            throw new NotebookFormatException(origin, "has no 'cells' array");
        }

        InteractiveDocument parsed;
        try
        {
            parsed = Notebook.Parse(json, Kernels);
        }
        catch (Exception e)
        {
            throw new NotebookFormatException(origin, $"cannot be parsed as a notebook: {e.Message}", e);
        }

        var cells = new List<NotebookCell>(cellsJson.Count);
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < cellsJson.Count; i++)
        {
            if (cellsJson[i] is not JsonObject cell || cell["cell_type"]?.GetValue<string>() is not { } type)
            {
                throw new NotebookFormatException(origin, $"cell {i} has no 'cell_type'");
            }

            // Prefer the kernel Documents resolved for the cell; fall back to the cell type.
            string kernel = type == "code"
                ? (i < parsed.Elements.Count && parsed.Elements.Count == cellsJson.Count
                    ? parsed.Elements[i].KernelName ?? "csharp"
                    : "csharp")
                : type;

            string id = cell["id"]?.GetValue<string>() is { Length: > 0 } existing && usedIds.Add(existing)
                ? existing
                : NewId(i, SourceOf(cell), usedIds);
            cell["id"] = id;
            cells.Add(new NotebookCell(cell, i, type, kernel));
        }

        return new IpynbDocument(root, cells);
    }

    /// <summary>A deep copy, for writing an executed version without touching the source.</summary>
    public IpynbDocument Clone() => Parse(_root.ToJsonString(), "clone");

    /// <summary>Removes every output and execution count (how sources are committed).</summary>
    public void ClearOutputs()
    {
        foreach (var cell in Cells.Where(c => c.IsCode))
        {
            cell.SetOutputs([], null);
        }
    }

    /// <summary>Inserts a new code cell after <paramref name="index"/> and returns the new document.</summary>
    public IpynbDocument WithCodeCellAfter(int index, string source, IEnumerable<string> tags)
    {
        var root = (JsonObject)JsonNode.Parse(_root.ToJsonString())!;
        var cells = (JsonArray)root["cells"]!;
        var tagArray = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = "injected-" + Hash(source)[..12],
            ["metadata"] = new JsonObject
            {
                ["tags"] = tagArray,
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            },
            ["outputs"] = new JsonArray(),
            ["source"] = ToSourceLines(source),
        };
        cells.Insert(index + 1, cell);
        return Parse(root.ToJsonString(), "notebook");
    }

    /// <summary>The notebook as nbformat 4.5 JSON.</summary>
    public string ToJson()
    {
        _root["nbformat"] = 4;
        _root["nbformat_minor"] = 5;
        return _root.ToJsonString(WriteOptions) + "\n";
    }

    /// <summary>Writes the notebook as nbformat 4.5, creating the folder if needed.</summary>
    public void Save(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        // Write to a temporary file first so a crash never leaves half a notebook.
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, ToJson(), new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }

    internal static string SourceOf(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue s => s.GetValue<string>(),
        _ => "",
    };

    internal static JsonArray ToSourceLines(string text)
    {
        var array = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            array.Add(text[start..end]);
            start = end;
        }

        return array;
    }

    private static string NewId(int index, string source, HashSet<string> used)
    {
        // Deterministic ids, so executing a notebook twice gives the same file.
        string baseId = "cell-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" +
                        Hash(source)[..8];
        string id = baseId;
        for (int k = 1; !used.Add(id); k++)
        {
            id = baseId + "-" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return id;
    }

    private static string Hash(string s) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    private static KernelInfoCollection CreateKernels()
    {
        var kernels = new KernelInfoCollection
        {
            new KernelInfo("csharp", "C#", ["c#", "C#", "cs"]),
            new KernelInfo("fsharp", "F#", ["f#", "F#", "fs"]),
            new KernelInfo("pwsh", "PowerShell", ["powershell"]),
            new KernelInfo("markdown", "Markdown", ["md"]),
        };
        kernels.DefaultKernelName = "csharp";
        return kernels;
    }
}

/// <summary>A cell of an <see cref="IpynbDocument"/>.</summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json, int index, string cellType, string kernelName)
    {
        Json = json;
        Index = index;
        CellType = cellType;
        KernelName = kernelName;
    }

    /// <summary>The cell's JSON, shared with the document.</summary>
    public JsonObject Json { get; }

    /// <summary>0-based position in the notebook.</summary>
    public int Index { get; }

    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string CellType { get; }

    /// <summary>The kernel the cell is written for (<c>csharp</c> for C# code cells).</summary>
    public string KernelName { get; }

    /// <summary>The cell id (nbformat 4.5).</summary>
    public string Id => Json["id"]!.GetValue<string>();

    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The source text.</summary>
    public string Source => IpynbDocument.SourceOf(Json);

    /// <summary>The cell's metadata object.</summary>
    public JsonObject Metadata => (JsonObject)(Json["metadata"] ??= new JsonObject());

    /// <summary>The cell's tags (<c>metadata.tags</c>), e.g. <c>parameters</c>.</summary>
    public IReadOnlyList<string> Tags => Metadata["tags"] is JsonArray tags
        ? tags.Select(t => t?.GetValue<string>() ?? "").ToList()
        : [];

    /// <summary>Replaces the cell's outputs and execution count.</summary>
    public void SetOutputs(IEnumerable<CellOutput> outputs, int? executionCount)
    {
        if (!IsCode)
        {
            throw new InvalidOperationException($"cell {Index} is a {CellType} cell and has no outputs");
        }

        Json["outputs"] = Execution.OutputCodec.ToIpynb(outputs);
        Json["execution_count"] = executionCount;
    }

    /// <summary>The outputs currently stored in the cell, as JSON.</summary>
    public JsonArray OutputsJson => Json["outputs"] as JsonArray ?? [];
}

/// <summary>A file that is not a readable notebook.</summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception; the message is "<paramref name="origin"/> <paramref name="problem"/>".</summary>
    public NotebookFormatException(string origin, string problem, Exception? inner = null)
        : base($"{origin} {problem}", inner)
    {
        Origin = origin;
    }

    /// <summary>The file or source that could not be read.</summary>
    public string Origin { get; }
}
