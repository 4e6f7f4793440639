using System.Text.Json.Nodes;

namespace Workbook.Host.Notebooks;

/// <summary>The kernelspec a workbook notebook names in <c>metadata.kernelspec</c>: the workbook's own Jupyter kernel
/// (installed by <c>workbook kernel install</c>), so that editors and nbconvert start it with no prompt and no flag.
/// The host itself runs any C# notebook, whatever kernel its metadata names (the stock <c>.net-csharp</c> too).</summary>
internal static class NotebookKernelSpec
{
    /// <summary>The kernelspec name (the folder name under <c>share/jupyter/kernels</c>).</summary>
    public const string Name = "workbook-csharp";

    /// <summary>What editors show in their kernel list.</summary>
    public const string DisplayName = "C# (Workbook)";

    /// <summary>The language, as tools that key on it (papermill's translators) expect it.</summary>
    public const string Language = "C#";

    /// <summary>Sets <c>metadata.kernelspec</c> of <paramref name="document"/> to the workbook kernel's and makes
    /// <c>metadata.language_info.name</c> C#; the rest of the metadata is kept.</summary>
    public static void ApplyTo(IpynbDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var metadata = document.Metadata;
        metadata["kernelspec"] = new JsonObject
        {
            ["display_name"] = DisplayName,
            ["language"] = Language,
            ["name"] = Name,
        };
        if (metadata["language_info"] is JsonObject info)
        {
            info["name"] = Language;
        }
        else
        {
            metadata["language_info"] = new JsonObject
            {
                ["file_extension"] = ".cs",
                ["mimetype"] = "text/x-csharp",
                ["name"] = Language,
                ["pygments_lexer"] = "csharp",
            };
        }
    }

    /// <summary>True when <paramref name="document"/> names the workbook kernel in <c>metadata.kernelspec</c>.</summary>
    public static bool IsNamedBy(IpynbDocument document) =>
        document?.Metadata["kernelspec"]?["name"] is JsonValue v && v.TryGetValue(out string? name) && name == Name;
}
