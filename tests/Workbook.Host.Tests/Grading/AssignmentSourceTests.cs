using System.Text.Json.Nodes;
using Workbook.Host.Grading;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Tests.Grading;

public class AssignmentSourceTests
{
    private static string Homework(string name) =>
        Path.Combine(RepoRoot(), "notebooks", "homework", name);

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workbook.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Workbook.sln not found");
    }

    private static JsonObject Cell(string type, string source, JsonObject? nbgrader = null, string? id = "c")
    {
        var metadata = new JsonObject();
        if (nbgrader is not null)
        {
            metadata["nbgrader"] = nbgrader;
        }

        var cell = new JsonObject { ["cell_type"] = type, ["metadata"] = metadata, ["source"] = source };
        if (id is not null)
        {
            cell["id"] = id;
        }

        if (type == "code")
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
        }

        return cell;
    }

    private static IpynbDocument Notebook(params JsonObject[] cells) => IpynbDocument.Parse(new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject(),
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
    }.ToJsonString());

    private static JsonObject Test(string id, double? points) => new()
    {
        ["grade"] = true, ["solution"] = false, ["locked"] = true, ["grade_id"] = id, ["schema_version"] = 3,
        ["points"] = points,
    };

    private static JsonObject Solution(string id) => new()
    {
        ["grade"] = false, ["solution"] = true, ["locked"] = false, ["grade_id"] = id, ["schema_version"] = 3,
    };

    [Fact]
    public void The_student_version_names_the_workbook_kernel_even_when_the_source_names_the_stock_one()
    {
        var source = Notebook(Cell("code", "int Answer() => 42;", Solution("answer"), "a"),
            Cell("code", "if (Answer() != 42) throw new Exception();", Test("t", 1), "t"));
        source.Metadata["kernelspec"] = new JsonObject
        {
            ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp",
        };
        source.Metadata["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject() };

        var student = AssignmentSource.CreateStudentVersion(source);

        Assert.True(NotebookKernelSpec.IsNamedBy(student));
        Assert.Equal("C# (Workbook)", student.Metadata["kernelspec"]!["display_name"]!.GetValue<string>());
        Assert.Equal("C#", student.Metadata["kernelspec"]!["language"]!.GetValue<string>());
        Assert.Equal("C#", student.Metadata["language_info"]!["name"]!.GetValue<string>());
        Assert.NotNull(student.Metadata["polyglot_notebook"]);
        Assert.False(NotebookKernelSpec.IsNamedBy(source));   // the source is not changed
    }

    [Theory]
    [InlineData("hw01_entropy-and-log-softmax.ipynb")]
    [InlineData("hw02_softmax-gradient.ipynb")]
    public void The_real_assignments_follow_the_authoring_rules(string name)
    {
        var source = AssignmentSource.Load(Homework(name));
        Assert.Contains(source.Document.Cells, c => NbgraderCellInfo.Of(c)?.IsTest == true);
    }

    [Fact]
    public void The_student_version_has_stubs_no_hidden_tests_and_checksums_on_tests()
    {
        var source = AssignmentSource.Load(Homework("hw01_entropy-and-log-softmax.ipynb"));
        var student = source.CreateStudentVersion();
        string all = string.Concat(student.Cells.Select(c => c.Source));

        Assert.DoesNotContain("HIDDEN TESTS", all);
        Assert.DoesNotContain("RefLogSoftmax", all);
        Assert.DoesNotContain("BEGIN SOLUTION", all);
        Assert.DoesNotContain("h -= pi * Math.Log(pi)", all);
        Assert.Contains(Regions.CodeStub, all);
        Assert.Contains(Regions.MarkdownStub, all);
        foreach (var cell in student.Cells.Where(c => NbgraderCellInfo.Of(c) is { IsRestored: true }))
        {
            Assert.Equal(NbgraderCellInfo.ComputeChecksum(cell), NbgraderCellInfo.Of(cell)!.Checksum);
        }
    }

    [Fact]
    public void Regions_keep_the_indentation_of_the_solution_marker()
    {
        string source = "int F()\n{\n    // BEGIN SOLUTION\n    return 1;\n    // END SOLUTION\n}";
        Assert.Equal("int F()\n{\n    throw new NotImplementedException();\n}", Regions.ToStudent(source, Regions.CodeStub));
        Assert.Equal("a\nc", Regions.ToStudent("a\n// BEGIN HIDDEN TESTS\nb\n// END HIDDEN TESTS\nc", Regions.CodeStub));
    }

    [Fact]
    public void Unbalanced_markers_are_refused_naming_the_cell()
    {
        var doc = Notebook(
            Cell("code", "int F() {\n// BEGIN SOLUTION\nreturn 1;\n}", Solution("answer"), "a"),
            Cell("code", "F();\n// END HIDDEN TESTS", Test("test-f", 1), "t"));
        var problems = AssignmentSource.Problems(doc);

        Assert.Contains(problems, p => p.StartsWith("cell 1 (code, `int F() {`)", StringComparison.Ordinal) && p.Contains("BEGIN SOLUTION is never closed"));
        Assert.Contains(problems, p => p.StartsWith("cell 2", StringComparison.Ordinal) && p.Contains("END HIDDEN TESTS without a matching BEGIN"));
    }

    [Fact]
    public void Graded_cells_without_points_or_grade_id_are_refused()
    {
        var noId = Solution("x");
        noId.Remove("grade_id");
        var doc = Notebook(Cell("code", "1", noId, "a"), Cell("code", "2", Test("test-a", null), "t"));
        var problems = AssignmentSource.Problems(doc);

        Assert.Contains(problems, p => p.StartsWith("cell 1", StringComparison.Ordinal) && p.Contains("without a grade_id"));
        Assert.Contains(problems, p => p.StartsWith("cell 2", StringComparison.Ordinal) && p.Contains("'test-a' has no points"));
    }

    [Fact]
    public void An_nbgrader_cell_without_an_id_in_its_file_is_refused()
    {
        var doc = Notebook(Cell("code", "1", Solution("answer"), id: null), Cell("code", "2", Test("test-a", 1), "t"));
        var problems = AssignmentSource.Problems(doc);

        Assert.Contains(problems, p => p.StartsWith("cell 1", StringComparison.Ordinal) && p.Contains("needs a cell id"));
        Assert.DoesNotContain(problems, p => p.StartsWith("cell 2", StringComparison.Ordinal));
        Assert.Contains(AssignmentSource.Problems(doc.Clone()), p => p.Contains("needs a cell id"));
    }

    [Fact]
    public void A_preparation_restores_tests_runs_helpers_again_and_flags_edits()
    {
        var source = AssignmentSource.Load(Homework("hw01_entropy-and-log-softmax.ipynb"));
        var submission = IpynbDocument.Load(Fixture("edited-test.ipynb"));
        var prepared = SubmissionPreparer.Prepare(source, submission);

        var test = prepared.Notebook.Cells.Single(c => NbgraderCellInfo.Of(c)?.GradeId == "test-entropy");
        Assert.Contains("BEGIN HIDDEN TESTS", test.Source);
        Assert.Contains("AssertNear", prepared.Notebook.Cells[test.Index - 1].Source);
        Assert.Contains(prepared.Notebook.Cells[test.Index - 1].Id, prepared.Inserted);
        Assert.Equal(["test cell 'test-entropy' was edited; restored from the source"], prepared.Flags);
    }

    [Fact]
    public void The_static_check_flags_paths_outside_the_folder_and_process_control_only()
    {
        Assert.Empty(StaticChecks.Scan("var lines = File.ReadAllLines(\"data.txt\");"));
        Assert.Contains("uses System.IO with a path outside the submission's folder",
            StaticChecks.Scan("File.ReadAllText(\"../secret.ipynb\")"));
        Assert.Contains("uses System.IO with a path outside the submission's folder",
            StaticChecks.Scan("File.WriteAllText(Path.Combine(Path.GetTempPath(), \"x\"), \"\")"));
        Assert.Contains("ends or starts a process", StaticChecks.Scan("Environment.Exit(0);"));
    }

    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Grading", "Fixtures", "hw01", name);
}
