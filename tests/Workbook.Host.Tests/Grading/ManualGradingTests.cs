using Workbook.Host.Grading;

namespace Workbook.Host.Tests.Grading;

public class ManualGradingTests
{
    private static readonly string[] Students = ["alice", "bob"];

    private static AssignmentSource Homework3() => AssignmentSource.Load(Path.Combine(AssignmentSourceTests.RepoRoot(),
        "notebooks", "homework", "hw03_kl-typical-set-and-weighted-bce.ipynb"));

    private static ManualGrading Parse(string text) => ManualGrading.Parse(text, "scores.csv", Homework3(), Students);

    private static string Refused(string text) => Assert.Throws<ManualScoresException>(() => Parse(text)).Message;

    [Fact]
    public void The_hand_graded_cells_are_the_graded_solution_cells_with_their_points()
    {
        Assert.Equal([("gibbs-proof", 3.0), ("stability-answer", 2.0)], ManualGrading.ManualCells(Homework3()));
    }

    [Fact]
    public void Without_a_score_an_answer_needs_review_with_0_of_its_points()
    {
        var rows = ManualGrading.None.Rows(Homework3(), "alice");
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((0.0, ManualGrading.NeedsReview), (r.Points, r.Status)));
        Assert.Equal(3, rows[0].MaxPoints);
    }

    [Fact]
    public void A_score_counts_with_its_comment_and_marks_the_answer_reviewed()
    {
        var manual = Parse("student,grade_id,points,comment\r\nalice,gibbs-proof,2.5,\"good, but equality is missing\"\r\n\r\nbob,stability-answer,0\r\n");
        var alice = ManualGrading.None.Rows(Homework3(), "alice");
        var scored = manual.Rows(Homework3(), "alice");
        Assert.Equal(new GradeRow("alice", "gibbs-proof", 2.5, 3, ManualGrading.Reviewed, "good, but equality is missing"), scored[0]);
        Assert.Equal(alice[1], scored[1]);   // no score for alice's second answer
        Assert.Equal((0.0, ManualGrading.Reviewed), (manual.Rows(Homework3(), "bob")[1].Points, manual.Rows(Homework3(), "bob")[1].Status));
        Assert.Equal(2, manual.Scores.Count);
    }

    [Fact]
    public void The_comment_column_is_optional_and_quotes_may_hold_commas_and_quotes()
    {
        Assert.Single(Parse("student,grade_id,points\nalice,gibbs-proof,3\n").Scores);
        var manual = Parse("student,grade_id,points,comment\nalice,gibbs-proof,3,\"say \"\"why\"\", please\"\n");
        Assert.Equal("say \"why\", please", manual.Scores.Single().Comment);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("name,id,score\n", "line 1: the header is \"name,id,score\"")]
    [InlineData("student,grade_id,points\nalice,gibbs-proof\n", "line 2: 2 field(s), expected 3")]
    [InlineData("student,grade_id,points\nalice,gibbs-proof,3,extra\n", "line 2: 4 field(s), expected 3")]
    [InlineData("student,grade_id,points\ncarol,gibbs-proof,3\n", "line 2: unknown student 'carol'; the submissions are alice, bob")]
    [InlineData("student,grade_id,points\nalice,test-kl,3\n", "line 2: grade_id 'test-kl' is not a hand-graded cell; expected one of gibbs-proof, stability-answer")]
    [InlineData("student,grade_id,points\nalice,gibbs-proof,3.5\n", "line 2: points '3.5' for alice/gibbs-proof is not a number in [0, 3]")]
    [InlineData("student,grade_id,points\nalice,gibbs-proof,-1\n", "line 2: points '-1'")]
    [InlineData("student,grade_id,points\nalice,gibbs-proof,NaN\n", "line 2: points 'NaN'")]
    [InlineData("student,grade_id,points\nalice,gibbs-proof,three\n", "line 2: points 'three'")]
    [InlineData("student,grade_id,points\n\nalice,gibbs-proof,1\nalice,gibbs-proof,2\n", "line 4: a second score for alice/gibbs-proof")]
    [InlineData("student,grade_id,points,comment\nalice,gibbs-proof,1,\"unclosed\n", "line 2: a quoted field is not closed")]
    public void A_bad_row_is_refused_naming_the_file_the_line_and_the_problem(string text, string expected)
    {
        Assert.Contains("scores.csv: " + expected, Refused(text));
    }

    [Fact]
    public void A_missing_scores_file_is_refused_naming_it()
    {
        var e = Assert.Throws<ManualScoresException>(() => ManualGrading.Load(Path.Combine(Path.GetTempPath(), "no-such-scores.csv"), Homework3(), Students));
        Assert.Contains("no-such-scores.csv: cannot be read", e.Message);
    }

    [Fact]
    public void An_assignment_without_hand_graded_cells_refuses_every_score()
    {
        var hw02 = AssignmentSource.Load(Path.Combine(AssignmentSourceTests.RepoRoot(), "notebooks", "homework", "hw02_softmax-gradient.ipynb"));
        var e = Assert.Throws<ManualScoresException>(() =>
            ManualGrading.Parse("student,grade_id,points\nalice,derivation,1\n", "s.csv", hw02, Students));
        Assert.Contains("the assignment has no hand-graded cells", e.Message);
    }
}
