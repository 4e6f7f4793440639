using System.Text.Json.Nodes;
using Workbook.Host.Execution;
using Workbook.Host.Grading;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Tests.Grading;

public class DeclaredAnswerTests
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Grading", "Fixtures", "declared", "declared-answers.ipynb");

    private static JsonObject Code(string id, string source, JsonObject? metadata = null)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "code", ["metadata"] = metadata ?? new JsonObject(), ["source"] = source,
            ["outputs"] = new JsonArray(), ["execution_count"] = null,
        };
        if (id.Length > 0)
        {
            cell["id"] = id;
        }

        return cell;
    }

    private static JsonObject Nbgrader(string gradeId, bool solution, double? points = null) => new()
    {
        ["nbgrader"] = new JsonObject
        {
            ["grade"] = !solution, ["solution"] = solution, ["locked"] = !solution, ["grade_id"] = gradeId,
            ["schema_version"] = 3, ["points"] = points,
        },
    };

    private static JsonObject Declared(JsonNode declaration) => new()
    {
        ["workbook"] = new JsonObject { ["declared_answer"] = declaration },
    };

    private static JsonObject Declaration(string replaces, string kind, params string[] mustFail)
    {
        var d = new JsonObject { ["replaces"] = replaces, ["kind"] = kind, ["why"] = "a mistake" };
        if (mustFail.Length > 0)
        {
            d["must_fail"] = new JsonArray(mustFail.Select(m => (JsonNode)JsonValue.Create(m)).ToArray());
        }

        return d;
    }

    private static IpynbDocument Notebook(params JsonObject[] cells) => IpynbDocument.Parse(new JsonObject
    {
        ["nbformat"] = 4, ["nbformat_minor"] = 5, ["metadata"] = new JsonObject(),
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
    }.ToJsonString());

    private static IpynbDocument WithDeclared(JsonObject declaredCell) => Notebook(
        Code("answer", "int A() => 1;", Nbgrader("answer", solution: true)),
        Code("test-a", "if (A() != 1) throw new Exception();", Nbgrader("test-a", solution: false, points: 1)),
        declaredCell);

    [Fact]
    public void Load_takes_the_declared_answers_out_of_the_document_the_handout_and_the_graded_notebook()
    {
        var source = AssignmentSource.Load(Fixture);

        Assert.Equal(["wrong-truncates", "wrong-adds-three", "right-sum"], source.DeclaredAnswers.Select(a => a.Name));
        var truncates = source.DeclaredAnswers[0];
        Assert.Equal(("twice", DeclaredAnswerKind.Wrong), (truncates.Replaces, truncates.Kind));
        Assert.Equal(["test-twice"], truncates.MustFail);
        Assert.Equal("drops the fraction (an int cast)", truncates.Why);
        Assert.Equal("double Twice(double x) => 2 * (int)x;", truncates.Source);
        Assert.Equal(DeclaredAnswerKind.Right, source.DeclaredAnswers[2].Kind);
        Assert.Empty(source.DeclaredAnswers[2].MustFail);

        Assert.Equal(["intro", "twice", "test-twice"], source.Document.Cells.Select(c => c.Id));
        string handout = source.CreateStudentVersion().ToJson();
        string prepared = SubmissionPreparer.Prepare(source, source.CreateStudentVersion()).Notebook.ToJson();
        foreach (string text in new[] { handout, prepared, source.Document.ToJson() })
        {
            Assert.DoesNotContain("declared_answer", text);
            Assert.DoesNotContain("(int)x", text);
            Assert.DoesNotContain("x + 3", text);
        }
    }

    [Fact]
    public void A_declared_answers_submission_is_the_handout_with_that_answer_and_the_solution_elsewhere()
    {
        var source = AssignmentSource.Load(Fixture);
        var submission = source.DeclaredAnswers[1].CreateSubmission(source);

        Assert.Equal(source.Document.Cells.Select(c => c.Id), submission.Cells.Select(c => c.Id));
        Assert.Equal("double Twice(double x) => x + 3;", submission.Cells.Single(c => c.Id == "twice").Source);
        Assert.DoesNotContain("BEGIN HIDDEN TESTS", submission.Cells.Single(c => c.Id == "test-twice").Source);
        Assert.NotNull(NbgraderCellInfo.Of(submission.Cells.Single(c => c.Id == "test-twice"))!.Checksum);
        Assert.Empty(SubmissionPreparer.Prepare(source, submission).Flags);
    }

    [Fact]
    public void A_well_formed_declaration_breaks_no_rule()
    {
        Assert.Empty(AssignmentSource.Problems(WithDeclared(Code("wrong-a", "int A() => 2;", Declared(Declaration("answer", "wrong", "test-a"))))));
        Assert.Empty(AssignmentSource.Problems(WithDeclared(Code("right-a", "int A() => 2 - 1;", Declared(Declaration("answer", "right"))))));
    }

    [Fact]
    public void Replaces_must_name_a_solution_cell()
    {
        var problems = AssignmentSource.Problems(WithDeclared(Code("wrong-a", "1", Declared(Declaration("test-a", "wrong", "test-a")))));
        Assert.Equal(["cell 3 (declared answer 'wrong-a', `1`): replaces 'test-a', which is not the grade_id of a solution cell"], problems);

        var missing = Declaration("answer", "wrong", "test-a");
        missing.Remove("replaces");
        Assert.Contains(AssignmentSource.Problems(WithDeclared(Code("wrong-a", "1", Declared(missing)))),
            p => p.Contains("'replaces' must name the grade_id of the solution cell"));
    }

    [Fact]
    public void Must_fail_must_name_test_cells_and_a_wrong_answer_needs_one()
    {
        var problems = AssignmentSource.Problems(WithDeclared(Code("wrong-a", "1", Declared(Declaration("answer", "wrong", "test-a", "answer", "test-nope")))));
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.EndsWith("must_fail names 'answer', which is not the grade_id of a test cell", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("must_fail names 'test-nope', which is not the grade_id of a test cell", StringComparison.Ordinal));

        Assert.Contains(AssignmentSource.Problems(WithDeclared(Code("wrong-a", "1", Declared(Declaration("answer", "wrong"))))),
            p => p.Contains("a wrong answer needs 'must_fail'"));
        Assert.Contains(AssignmentSource.Problems(WithDeclared(Code("right-a", "1", Declared(Declaration("answer", "right", "test-a"))))),
            p => p.Contains("a right answer has no 'must_fail'"));
    }

    [Fact]
    public void A_declared_answer_carries_no_nbgrader_block_and_is_a_code_cell_with_an_id_a_kind_and_a_why()
    {
        var metadata = Declared(Declaration("answer", "wrong", "test-a"));
        metadata["nbgrader"] = Nbgrader("wrong-a", solution: true)["nbgrader"]!.DeepClone();
        Assert.Contains(AssignmentSource.Problems(WithDeclared(Code("wrong-a", "1", metadata))),
            p => p.Contains("must carry no nbgrader block"));

        var markdown = Code("wrong-a", "text", Declared(Declaration("answer", "wrong", "test-a")));
        markdown["cell_type"] = "markdown";
        markdown.Remove("outputs");
        markdown.Remove("execution_count");
        Assert.Contains(AssignmentSource.Problems(WithDeclared(markdown)), p => p.Contains("must be a code cell, not markdown"));

        Assert.Contains(AssignmentSource.Problems(WithDeclared(Code("", "1", Declared(Declaration("answer", "wrong", "test-a"))))),
            p => p.Contains("a declared answer needs a cell id"));

        var odd = Declaration("answer", "maybe");
        odd.Remove("why");
        var problems = AssignmentSource.Problems(WithDeclared(Code("x", "1", Declared(odd))));
        Assert.Contains(problems, p => p.Contains("'kind' is 'maybe', expected 'wrong' or 'right'"));
        Assert.Contains(problems, p => p.Contains("'why' must say what the answer does"));

        Assert.Contains(AssignmentSource.Problems(WithDeclared(Code("x", "1", Declared(JsonValue.Create("answer"))))),
            p => p.Contains("workbook.declared_answer must be an object"));
    }

    [Fact]
    public void A_source_with_a_broken_declaration_is_refused_by_load()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("workbook-declared-").FullName, "broken.ipynb");
        try
        {
            File.WriteAllText(path, WithDeclared(Code("wrong-a", "1", Declared(Declaration("nope", "wrong", "test-a")))).ToJson());
            var e = Assert.Throws<AssignmentSourceException>(() => AssignmentSource.Load(path));
            Assert.Contains("replaces 'nope', which is not the grade_id of a solution cell", e.Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void The_judgement_names_the_answer_and_the_part_a_wrong_answer_earns_or_a_right_one_loses()
    {
        var source = AssignmentSource.Load(Fixture);
        SubmissionGrade Grade(string student, double points) => new(student,
            [new GradeRow(student, "test-twice", points, 1, points > 0 ? CellStatus.Passed : CellStatus.Failed, points > 0 ? "" : "Exception: Twice(0.5)")], []);

        var escaped = DeclaredAnswerCheck.Judge(source, source.DeclaredAnswers[0], Grade("wrong-truncates", 1));
        Assert.Equal(["declared wrong answer 'wrong-truncates' (for 'twice': drops the fraction (an int cast)) earns 1 of the 1 " +
                      "points of part 'test-twice': its tests miss this mistake"], escaped.Problems);
        Assert.Empty(DeclaredAnswerCheck.Judge(source, source.DeclaredAnswers[0], Grade("wrong-truncates", 0)).Problems);

        var lost = DeclaredAnswerCheck.Judge(source, source.DeclaredAnswers[2], Grade("right-sum", 0));
        Assert.Equal(["declared right answer 'right-sum' (for 'twice': x + x instead of 2 * x) loses 1 of the 1 points of " +
                      "part 'test-twice' (failed: Exception: Twice(0.5))"], lost.Problems);
        Assert.Empty(DeclaredAnswerCheck.Judge(source, source.DeclaredAnswers[2], Grade("right-sum", 1)).Problems);
    }

    [Theory]
    [InlineData("hw01_entropy-and-log-softmax.ipynb")]
    [InlineData("hw02_softmax-gradient.ipynb")]
    [InlineData("hw03_kl-typical-set-and-weighted-bce.ipynb")]
    public void The_shipped_homework_declares_four_wrong_answers_and_a_right_one_for_every_part_graded_by_tests(string name)
    {
        var source = AssignmentSource.Load(Path.Combine(AssignmentSourceTests.RepoRoot(), "notebooks", "homework", name));
        var tests = source.Document.Cells.Select(NbgraderCellInfo.Of).Where(i => i?.IsTest == true).Select(i => i!.GradeId!).ToList();
        foreach (string test in tests)
        {
            int wrong = source.DeclaredAnswers.Count(a => a.Kind == DeclaredAnswerKind.Wrong && a.MustFail.Contains(test));
            Assert.True(wrong >= 4, $"{test}: {wrong} declared wrong answers must fail it, expected at least 4");
        }

        foreach (var cell in source.Document.Cells.Where(c => c.IsCode && NbgraderCellInfo.Of(c)?.Solution == true))
        {
            string solution = NbgraderCellInfo.Of(cell)!.GradeId!;
            Assert.True(source.DeclaredAnswers.Any(a => a.Kind == DeclaredAnswerKind.Right && a.Replaces == solution),
                $"{solution}: no declared right answer");
        }
    }
}
