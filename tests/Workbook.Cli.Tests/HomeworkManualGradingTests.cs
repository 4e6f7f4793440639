namespace Workbook.Cli.Tests;

/// <summary>Homework 3's answers graded by hand: <c>grade</c> lists them as "needs review" until <c>--manual</c>
/// gives the instructor's scores.</summary>
public sealed class HomeworkManualGradingTests : IDisposable
{
    private const string Assignment = "hw03_kl-typical-set-and-weighted-bce";

    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-manual-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Source => Path.Combine(CliRunner.Root, "notebooks", "homework", Assignment + ".ipynb");

    private static string Fixture(string name) =>
        Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Grading", "Fixtures", "hw03", name);

    [Fact]
    public void Every_homework_3_fixture_gets_exactly_its_expected_grades_with_written_answers_needing_review()
    {
        var submissions = Directory.GetFiles(Fixture(""), "*.ipynb").Order(StringComparer.Ordinal).ToArray();
        string outDir = Path.Combine(_dir, "out");
        var r = CliRunner.Run(_dir, ["grade", "--assignment", Source, .. submissions, "--out", outDir, "--cell-timeout", "30", .. ExternalClient.SandboxOrNot]);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(File.ReadAllText(Fixture("expected-grades.csv")), File.ReadAllText(Path.Combine(outDir, "grades.csv")));
        Assert.Contains("2 needs review", r.StdOut);
        string feedback = File.ReadAllText(Path.Combine(outDir, "feedback", "solution.ipynb"));
        Assert.Contains("Score: 9 / 14", feedback);
        Assert.Contains("gibbs-proof**: needs review, 0 / 3 points so far", feedback);
        Assert.DoesNotContain("HIDDEN TESTS", feedback);
    }

    [Fact]
    public void Manual_scores_count_and_mark_the_answers_reviewed_and_unscored_ones_still_need_review()
    {
        string outDir = Path.Combine(_dir, "out");
        var r = CliRunner.Run(_dir, ["grade", "--assignment", Source, Fixture("partial.ipynb"), Fixture("solution.ipynb"),
            Fixture("untouched.ipynb"), "--manual", Fixture("manual-scores.csv"), "--out", outDir, "--cell-timeout", "30",
            .. ExternalClient.SandboxOrNot]);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(File.ReadAllText(Fixture("expected-grades-manual.csv")), File.ReadAllText(Path.Combine(outDir, "grades.csv")));
        string feedback = File.ReadAllText(Path.Combine(outDir, "feedback", "solution.ipynb"));
        Assert.Contains("Score: 14 / 14", feedback);
        Assert.Contains("gibbs-proof**: reviewed, 3 / 3 points — complete: both cases, and equality", feedback);
    }

    [Theory]
    [InlineData("student,grade_id,points\nsolution,gibbs-proof,3\nmallory,gibbs-proof,1\n", "line 3: unknown student 'mallory'")]
    [InlineData("student,grade_id,points\nsolution,test-kl,3\n", "line 2: grade_id 'test-kl' is not a hand-graded cell")]
    [InlineData("student,grade_id,points\nsolution,gibbs-proof,4\n", "line 2: points '4' for solution/gibbs-proof is not a number in [0, 3]")]
    public void A_bad_scores_file_stops_grade_before_any_grading_naming_the_row(string scores, string expected)
    {
        string file = Path.Combine(_dir, "scores.csv");
        File.WriteAllText(file, scores);
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run(_dir, ["grade", "--assignment", Source, Fixture("solution.ipynb"), "--manual", file, "--out", outDir, .. ExternalClient.SandboxOrNot]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("scores.csv: " + expected, r.StdErr);
        Assert.False(File.Exists(Path.Combine(outDir, "grades.csv")));
    }
}
