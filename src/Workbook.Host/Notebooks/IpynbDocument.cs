using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbook.Host.Execution;

namespace Workbook.Host.Notebooks;

/// <summary>A Jupyter notebook (.ipynb, nbformat 4) held as its JSON, so that nothing of the source (metadata,
/// attachments, cell ids) is lost when the host writes the executed copy.</summary>
/// <remarks>The file is parsed once, into one JSON tree that the document and its cells share. A cell without an
/// <c>id</c> gets a deterministic one at load, and <see cref="NotebookCell.IdWasMissing"/> records that the file
/// had none; the written file is nbformat 4.5, where every cell has an <c>id</c>. Each code cell's kernel is resolved
/// as .NET Interactive resolves it (see <see cref="NotebookCell.KernelName"/>).</remarks>
public sealed class IpynbDocument
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Kernel names and their aliases, as .NET Interactive's notebooks name them, to the kernel's name.</summary>
    private static readonly FrozenDictionary<string, string> KernelAliases = new Dictionary<string, string>
    {
        ["csharp"] = "csharp", ["c#"] = "csharp", ["cs"] = "csharp",
        ["fsharp"] = "fsharp", ["f#"] = "fsharp", ["fs"] = "fsharp",
        ["pwsh"] = "pwsh", ["powershell"] = "pwsh",
        ["markdown"] = "markdown", ["md"] = "markdown",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly JsonObject _root;

    /// <summary>Reads the cells of <paramref name="root"/>, which the document takes as its own. A cell without an id
    /// gets one; <paramref name="idWasMissing"/>, when given, says for each cell whether its source had none (for a
    /// copy of a document whose ids were filled in already).</summary>
    private IpynbDocument(JsonObject root, string origin, Func<int, bool>? idWasMissing = null)
    {
        NotebookShape.Check(root, origin);
        var cellsJson = (JsonArray)root["cells"]!;
        _root = root;
        string defaultKernel = DefaultKernelOf(root);
        var cells = new List<NotebookCell>(cellsJson.Count);
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < cellsJson.Count; i++)
        {
            var cell = (JsonObject)cellsJson[i]!;
            string type = StringAt(cell, "cell_type")!;
            string source = SourceOf(cell);
            string kernel = type == "code" ? KernelOf(cell, source, defaultKernel) : type;
            string? id = StringAt(cell, "id");
            if (id is not { Length: > 0 } || !usedIds.Add(id))
            {
                // A duplicate id is replaced too: nbformat 4.5 requires them unique.
                cell["id"] = NewId(i, source, usedIds);
            }

            cells.Add(new NotebookCell(cell, i, type, kernel, idWasMissing?.Invoke(i) ?? id is not { Length: > 0 }));
        }

        Cells = cells;
    }

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The notebook-level metadata (kernelspec, polyglot_notebook, ...).</summary>
    public JsonObject Metadata => (JsonObject)(_root["metadata"] ??= new JsonObject());

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
    /// <exception cref="NotebookFormatException">Not JSON, not nbformat 4, or a value of the wrong type anywhere the
    /// workbook reads (see <see cref="NotebookShape"/>).</exception>
    public static IpynbDocument Parse(string json, string origin = "notebook")
    {
        JsonNode? node;
        try
        {
            // Duplicate keys are refused here: a JsonObject would otherwise throw at its first read, anywhere.
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(origin, $"is not valid JSON: {e.Message}", e);
        }

        return FromJson(node as JsonObject ?? throw new NotebookFormatException(origin, "is not a JSON object"), origin);
    }

    /// <summary>A document over <paramref name="root"/>, which it takes as its own: later changes to the document
    /// change <paramref name="root"/> (pass <c>root.DeepClone()</c> to keep yours apart).</summary>
    /// <exception cref="NotebookFormatException">Not nbformat 4, or without a <c>cells</c> array.</exception>
    public static IpynbDocument FromJson(JsonObject root, string origin = "notebook") => new(root, origin);

    /// <summary>A deep copy, for writing an executed version without touching the source. Each cell keeps its
    /// <see cref="NotebookCell.IdWasMissing"/>.</summary>
    public IpynbDocument Clone()
    {
        var missing = Cells.Select(c => c.IdWasMissing).ToArray();
        return new IpynbDocument((JsonObject)_root.DeepClone(), "clone", i => missing[i]);
    }

    /// <summary>The notebook as a new JSON object, a deep copy of the document's (nbformat 4.5).</summary>
    public JsonObject ToJsonObject()
    {
        SetFormatVersion();
        return (JsonObject)_root.DeepClone();
    }
    /// <summary>Removes every output and execution count (how sources are committed).</summary>
    public void ClearOutputs()
    {
        foreach (var cell in Cells.Where(c => c.IsCode))
        {
            cell.SetOutputs([], null);
        }
    }

    /// <summary>Inserts a new code cell after <paramref name="index"/> and returns the new document (this one is
    /// unchanged).</summary>
    public IpynbDocument WithCodeCellAfter(int index, string source, IEnumerable<string> tags)
    {
        var root = (JsonObject)_root.DeepClone();
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
        var missing = Cells.Select(c => c.IdWasMissing).ToList();
        missing.Insert(index + 1, false);
        return new IpynbDocument(root, "notebook", i => missing[i]);
    }

    /// <summary>The notebook as nbformat 4.5 JSON.</summary>
    public string ToJson()
    {
        SetFormatVersion();
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

    private void SetFormatVersion()
    {
        _root["nbformat"] = 4;
        _root["nbformat_minor"] = 5;
    }

    private static string? StringAt(JsonNode? node, params ReadOnlySpan<string> path)
    {
        foreach (string key in path)
        {
            node = (node as JsonObject)?[key];
        }

        return node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
    }

    /// <summary>The notebook's default kernel: <c>metadata.polyglot_notebook.kernelInfo.defaultKernelName</c>, else
    /// <c>metadata.dotnet_interactive.defaultKernelName</c>, else the kernelspec's language, else C#.</summary>
    private static string DefaultKernelOf(JsonObject root)
    {
        var metadata = root["metadata"];
        string name = StringAt(metadata, "polyglot_notebook", "kernelInfo", "defaultKernelName")
                      ?? StringAt(metadata, "dotnet_interactive", "defaultKernelName")
                      ?? StringAt(metadata, "kernelspec", "language")
                      ?? "csharp";
        return KernelAliases.GetValueOrDefault(name, name);
    }

    /// <summary>A code cell's kernel, by .NET Interactive's rules: a first line <c>#!name</c> naming a known kernel
    /// wins; then the cell's <c>polyglot_notebook.kernelName</c> or <c>dotnet_interactive.language</c> metadata;
    /// then the notebook's default. Aliases (<c>C#</c>, <c>cs</c>, ...) become the kernel's name.</summary>
    private static string KernelOf(JsonObject cell, string source, string defaultKernel)
    {
        if (source.StartsWith("#!", StringComparison.Ordinal))
        {
            int end = source.AsSpan(2).IndexOfAny(' ', '\r', '\n');
            string magic = end < 0 ? source[2..] : source.Substring(2, end);
            if (KernelAliases.TryGetValue(magic, out string? byMagic))
            {
                return byMagic;
            }
        }

        var metadata = cell["metadata"];
        string name = StringAt(metadata, "polyglot_notebook", "kernelName")
                      ?? StringAt(metadata, "dotnet_interactive", "language")
                      ?? defaultKernel;
        return KernelAliases.GetValueOrDefault(name, name);
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
}

/// <summary>A cell of an <see cref="IpynbDocument"/>.</summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json, int index, string cellType, string kernelName, bool idWasMissing)
    {
        Json = json;
        Index = index;
        CellType = cellType;
        KernelName = kernelName;
        IdWasMissing = idWasMissing;
    }

    /// <summary>The cell's JSON, shared with the document.</summary>
    public JsonObject Json { get; }

    /// <summary>0-based position in the notebook.</summary>
    public int Index { get; }

    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string CellType { get; }

    /// <summary>The kernel the cell is written for: <c>csharp</c> for C# code cells (whatever alias the file
    /// uses: <c>C#</c>, <c>cs</c>), <c>fsharp</c>, <c>pwsh</c> or another name the file gives; the cell type for
    /// markdown and raw cells.</summary>
    public string KernelName { get; }

    /// <summary>The cell id (nbformat 4.5).</summary>
    public string Id => Json["id"]!.GetValue<string>();

    /// <summary>True when the source file gave this cell no id (none, or empty) and <see cref="Id"/> was made up at
    /// load. (A duplicate of an earlier cell's id is replaced too, but it was not missing.)</summary>
    public bool IdWasMissing { get; }

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
