using System.Text.Json.Nodes;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Tests.Notebooks;

public class IpynbDocumentTests
{
    private static JsonObject Code(string source, string? id = null, JsonObject? metadata = null)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = metadata ?? new JsonObject(),
            ["outputs"] = new JsonArray(), ["source"] = source,
        };
        if (id is not null)
        {
            cell["id"] = id;
        }

        return cell;
    }

    private static string Notebook(JsonObject? metadata, params JsonObject[] cells) => new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 4,
        ["metadata"] = metadata ?? new JsonObject(),
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
    }.ToJsonString();

    [Fact]
    public void Cells_without_an_id_get_a_deterministic_one_and_say_it_was_missing()
    {
        string json = Notebook(null, Code("a", id: "kept"), Code("b"), Code("c", id: ""), Code("d", id: "kept"));

        var doc = IpynbDocument.Parse(json);
        var again = IpynbDocument.Parse(json);

        Assert.Equal([false, true, true, false], doc.Cells.Select(c => c.IdWasMissing));
        Assert.Equal("kept", doc.Cells[0].Id);
        Assert.Equal(4, doc.Cells.Select(c => c.Id).Distinct().Count());
        Assert.Equal(doc.Cells.Select(c => c.Id), again.Cells.Select(c => c.Id));
        Assert.Equal(doc.Cells[1].Id, doc.Cells[1].Json["id"]!.GetValue<string>());
    }

    [Fact]
    public void A_clone_is_independent_and_keeps_which_ids_were_missing()
    {
        var doc = IpynbDocument.Parse(Notebook(null, Code("a", id: "x"), Code("b")));

        var clone = doc.Clone();
        clone.Cells[0].Json["source"] = "changed";
        clone.Metadata["added"] = 1;

        Assert.Equal("a", doc.Cells[0].Source);
        Assert.Null(doc.Metadata["added"]);
        Assert.Equal([false, true], clone.Cells.Select(c => c.IdWasMissing));
        Assert.Equal(doc.Cells.Select(c => c.Id), clone.Cells.Select(c => c.Id));
    }

    [Fact]
    public void Inserting_a_cell_leaves_the_document_unchanged_and_shifts_the_missing_ids()
    {
        var doc = IpynbDocument.Parse(Notebook(null, Code("a", id: "x"), Code("b")));

        var longer = doc.WithCodeCellAfter(0, "var n = 1;\n", ["injected-parameters"]);

        Assert.Equal(2, doc.Cells.Count);
        Assert.Equal(["a", "var n = 1;\n", "b"], longer.Cells.Select(c => c.Source));
        Assert.Equal([false, false, true], longer.Cells.Select(c => c.IdWasMissing));
        Assert.Equal(["injected-parameters"], longer.Cells[1].Tags);
        Assert.Equal(doc.Cells[1].Id, longer.Cells[2].Id);
    }

    [Fact]
    public void FromJson_takes_the_object_as_its_own_and_ToJsonObject_gives_a_copy()
    {
        var root = JsonNode.Parse(Notebook(null, Code("a", id: "x")))!.AsObject();

        var doc = IpynbDocument.FromJson(root);
        doc.Cells[0].Json["source"] = "b";
        var copy = doc.ToJsonObject();
        copy["cells"]![0]!["source"] = "c";

        Assert.Equal("b", root["cells"]![0]!["source"]!.GetValue<string>());
        Assert.Equal("b", doc.Cells[0].Source);
        Assert.Equal(5, copy["nbformat_minor"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{}", "{}", "1", "csharp")]
    [InlineData("{}", """{"polyglot_notebook":{"kernelName":"fsharp"}}""", "1", "fsharp")]
    [InlineData("{}", """{"dotnet_interactive":{"language":"C#"}}""", "1", "csharp")]
    [InlineData("{}", """{"polyglot_notebook":{"kernelName":"csharp"}}""", "#!pwsh\nls", "pwsh")]
    [InlineData("{}", "{}", "#!not-a-kernel\n1", "csharp")]
    [InlineData("""{"kernelspec":{"language":"F#"}}""", "{}", "1", "fsharp")]
    [InlineData("""{"polyglot_notebook":{"kernelInfo":{"defaultKernelName":"pwsh"}},"kernelspec":{"language":"C#"}}""", "{}", "1", "pwsh")]
    [InlineData("{}", """{"polyglot_notebook":{"kernelName":"python"}}""", "1", "python")]
    public void A_code_cells_kernel_follows_the_magic_line_then_its_metadata_then_the_notebooks_default(
        string notebookMetadata, string cellMetadata, string source, string expected)
    {
        var doc = IpynbDocument.Parse(Notebook(JsonNode.Parse(notebookMetadata)!.AsObject(),
            Code(source, "c", JsonNode.Parse(cellMetadata)!.AsObject())));

        Assert.Equal(expected, doc.Cells[0].KernelName);
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("[1]", "is not a JSON object")]
    [InlineData("""{"nbformat":3,"cells":[]}""", "is not an nbformat 4 notebook")]
    [InlineData("""{"nbformat":4}""", "has no 'cells' array")]
    [InlineData("""{"nbformat":4,"cells":[{"source":"x"}]}""", "cell 1 has no 'cell_type'")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":42}]}""", "cell 1 'source' is a number, expected a string or an array of strings")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":["a",7]}]}""", "cell 1 'source' item 2 is a number, expected a string")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","metadata":[]}]}""", "cell 1 'metadata' is an array, expected an object")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","metadata":{"tags":"parameters"}}]}""", "cell 1 'metadata.tags' is a string, expected an array of strings")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","metadata":{"nbgrader":[1]}}]}""", "cell 1 'metadata.nbgrader' is an array, expected an object")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"markdown","source":"x"},{"cell_type":"code","id":5,"source":"x"}]}""", "cell 2 'id' is a number, expected a string")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":7,"source":"x"}]}""", "cell 1 'cell_type' is a number, expected a string")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"heading","source":"x"}]}""", "cell 1 'cell_type' is 'heading', expected code, markdown or raw")]
    [InlineData("""{"nbformat":4,"cells":[7]}""", "cell 1 is a number, expected an object")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","outputs":{}}]}""", "cell 1 'outputs' is an object, expected an array")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","outputs":[{"output_type":"stream","name":"stdout","text":1}]}]}""", "cell 1 output 1 'text' is a number")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","outputs":[{"output_type":"display_data","data":{"text/html":5}}]}]}""", "cell 1 output 1 'text/html' is a number")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","outputs":[{"output_type":"error","ename":"E","evalue":"v","traceback":[1]}]}]}""", "cell 1 output 1 'traceback' item 1 is a number")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","execution_count":"1"}]}""", "cell 1 'execution_count' is a string")]
    [InlineData("""{"nbformat":4,"metadata":[],"cells":[]}""", "the notebook's 'metadata' is an array, expected an object")]
    [InlineData("""{"nbformat":4,"metadata":{"workbook":"x"},"cells":[]}""", "the notebook's 'metadata.workbook' is a string, expected an object")]
    [InlineData("""{"nbformat":4,"nbformat":4,"cells":[]}""", "is not valid JSON: Duplicate property")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","source":"x","metadata":{"a":1,"a":2}}]}""", "is not valid JSON: Duplicate property")]
    public void Parse_refuses_what_is_not_an_nbformat_4_notebook_naming_the_origin(string json, string expected)
    {
        var e = Assert.Throws<NotebookFormatException>(() => IpynbDocument.Parse(json, "nb.ipynb"));

        Assert.Equal("nb.ipynb", e.Origin);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
