using System.Text.Json.Nodes;
using Workbook.Host.Grading;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Tests.Grading;

/// <summary>Which cells are tests comes from the instructor's source: ids, metadata and cell types a student wrote
/// decide nothing.</summary>
public sealed class SubmissionPreparerTests
{
    private static string Root => Workbook.Host.Running.WorkbookLayout.Find(AppContext.BaseDirectory).Root;

    private static AssignmentSource Source =>
        AssignmentSource.Load(Path.Combine(Root, "notebooks", "homework", "hw01_entropy-and-log-softmax.ipynb"));

    private static JsonObject Untouched => JsonNode.Parse(File.ReadAllText(
        Path.Combine(Root, "tests", "Workbook.Host.Tests", "Grading", "Fixtures", "hw01", "untouched.ipynb")))!.AsObject();

    [Fact]
    public void A_cell_carrying_a_test_cells_id_and_metadata_does_not_take_the_tests_place()
    {
        var source = Source;
        var nb = Untouched;
        var cells = nb["cells"]!.AsArray();
        foreach (string test in (string[])["test-entropy", "test-sampling"])
        {
            int at = cells.ToList().FindIndex(c => c!["id"]!.GetValue<string>() == test);
            var fake = (JsonObject)cells[at]!.DeepClone();
            fake["source"] = "// nothing to see";
            cells.Insert(at, fake);
        }

        var prepared = SubmissionPreparer.Prepare(source, IpynbDocument.FromJson(nb));

        // Every cell has the grader's own id, unique, whatever the student's cells said.
        var ids = prepared.Notebook.Cells.Select(c => c.Id).ToList();
        Assert.All(ids, id => Assert.StartsWith("wb-", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Each test's grader id holds the instructor's test, hidden part included.
        foreach (var test in source.Document.Cells.Where(c => NbgraderCellInfo.Of(c)?.IsTest == true))
        {
            var run = prepared.Notebook.Cells.Single(c => c.Id == prepared.TestCellIds[test.Id]);
            Assert.Equal(test.Source, run.Source);
        }

        // The student's cells keep only their code: no nbgrader block that could claim a test's role.
        var extras = prepared.Notebook.Cells.Where(c => !prepared.SourceCells.ContainsKey(c.Id)).ToList();
        Assert.NotEmpty(extras);
        Assert.All(extras, c => Assert.Null(NbgraderCellInfo.Of(c)));
        Assert.Contains(prepared.Flags, f => f.Contains("test cell 'test-entropy' was edited", StringComparison.Ordinal));
    }

    [Fact]
    public void Prose_is_the_sources_and_a_markdown_cell_cannot_stand_in_for_a_code_answer()
    {
        var source = Source;
        var nb = Untouched;
        var cells = nb["cells"]!.AsArray();
        cells[0]!["source"] = "<script>alert(1)</script>";
        var entropy = cells.Single(c => c!["id"]!.GetValue<string>() == "entropy")!;
        entropy["cell_type"] = "markdown";
        entropy.AsObject().Remove("outputs");
        entropy.AsObject().Remove("execution_count");

        var prepared = SubmissionPreparer.Prepare(source, IpynbDocument.FromJson(nb));

        Assert.Equal(source.Document.Cells[0].Source, prepared.Notebook.Cells[0].Source);
        var answer = prepared.Notebook.Cells.Single(c => prepared.SourceCells.GetValueOrDefault(c.Id)?.Id == "entropy");
        Assert.True(answer.IsCode);
        Assert.Contains("NotImplementedException", answer.Source);
    }
}
