namespace Workbook.Cli.Tests;

public sealed class HomeworkCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-homework-").FullName;
    private readonly string _temp;

    public HomeworkCommandTests()
    {
        // The commands' temporary folder is inside the test's own (so what they or a submission leave there goes with
        // it), and every user may pass through to it, as the sandbox's unprivileged user must.
        _temp = Directory.CreateDirectory(Path.Combine(_dir, "tmp")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode passThrough = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                             UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(_dir, passThrough);
            File.SetUnixFileMode(_temp, passThrough);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CliRunner.Result Run(params string[] args) =>
        CliRunner.Run(_dir, new Dictionary<string, string> { ["TMPDIR"] = _temp }, args);

    private static string Source(string name) => Path.Combine(CliRunner.Root, "notebooks", "homework", name + ".ipynb");

    private static string Fixtures(string assignment) =>
        Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Grading", "Fixtures", assignment);

    private static string[] Submissions(string assignment) =>
        Directory.GetFiles(Fixtures(assignment), "*.ipynb").Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("hw01", "hw01_entropy-and-log-softmax")]
    [InlineData("hw02", "hw02_softmax-gradient")]
    [InlineData("hw01-attacks", "hw01_entropy-and-log-softmax")]   // kernel middleware, an exit hook, a temp-folder scan
    public void Every_fixture_submission_gets_exactly_its_expected_grades(string assignment, string source)
    {
        string outDir = Path.Combine(_dir, "out");
        var r = Run(
            ["grade", "--assignment", Source(source), .. Submissions(assignment), "--out", outDir, "--cell-timeout", "10",
             .. ExternalClient.SandboxOrNot]);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures(assignment), "expected-grades.csv")),
            File.ReadAllText(Path.Combine(outDir, "grades.csv")));
        Assert.Contains("solution", r.StdOut);
        foreach (string s in Submissions(assignment).Where(s => !s.EndsWith("bad-json.ipynb", StringComparison.Ordinal)))
        {
            Assert.True(File.Exists(Path.Combine(outDir, "feedback", Path.GetFileName(s))), s);
        }

        string feedback = File.ReadAllText(Path.Combine(outDir, "feedback", "solution.ipynb"));
        Assert.DoesNotContain("HIDDEN TESTS", feedback);
        Assert.Contains("Score: 10 / 10", feedback);
        Assert.All(Directory.GetFiles(Path.Combine(outDir, "feedback")),
            f => Assert.DoesNotContain("workbook-canary-", File.ReadAllText(f)));

        // For the LMS: one row per student, and Gradescope's results.json per submission, from the same grades.
        var totals = File.ReadAllLines(Path.Combine(outDir, "totals.csv"));
        Assert.Equal("student,points,max_points,percent", totals[0]);
        Assert.Contains("solution,10,10,100", totals);
        var results = System.Text.Json.Nodes.JsonNode.Parse(
            File.ReadAllText(Path.Combine(outDir, "gradescope", "solution", "results.json")))!;
        Assert.Equal(10, results["score"]!.GetValue<double>());
        Assert.Equal(10, results["tests"]!.AsArray().Sum(t => t!["max_score"]!.GetValue<double>()));

        // Every submission's working copy is gone, whatever its code did (time out, exit, hook the process's exit).
        Assert.Empty(Directory.EnumerateDirectories(_temp, "workbook-*"));
    }

    [Fact]
    public void Assign_then_grade_round_trips_the_student_version_and_check_never_shows_hidden_tests()
    {
        // assign grades every declared answer of the source (the check CI runs on hw02's; hw01's and hw03's below).
        string students = Path.Combine(_dir, "students");
        var assign = Run(["assign", Source("hw02_softmax-gradient"), "--out", students, .. ExternalClient.SandboxOrNot]);
        Assert.True(assign.ExitCode == 0, assign.StdErr);
        Assert.Contains("hw02_softmax-gradient.ipynb: tests reject 20 of 20 declared wrong answers; 4 of 4 declared right answers earn every point", assign.StdOut);
        string assigned = Path.Combine(students, "hw02_softmax-gradient.ipynb");
        string text = File.ReadAllText(assigned);
        Assert.DoesNotContain("BEGIN HIDDEN TESTS", text);
        Assert.Contains("throw new NotImplementedException();", text);
        Assert.Contains("\"checksum\"", text);

        // A student folder named after the student, holding the untouched notebook.
        string alice = Path.Combine(_dir, "alice");
        Directory.CreateDirectory(alice);
        File.Copy(assigned, Path.Combine(alice, "hw02_softmax-gradient.ipynb"));
        var grade = Run(["grade", "--assignment", Source("hw02_softmax-gradient"), alice, "--out", Path.Combine(_dir, "g"),
            .. ExternalClient.SandboxOrNot]);
        Assert.True(grade.ExitCode == 0, grade.StdErr);
        string csv = File.ReadAllText(Path.Combine(_dir, "g", "grades.csv"));
        Assert.StartsWith("student,grade_id,points,max_points,status,message\nalice,test-finite-differences,0,2,failed,", csv);
        Assert.Equal(4, csv.Split('\n').Count(l => l.StartsWith("alice,test-", StringComparison.Ordinal) && l.Contains(",failed,")));

        var check = Run(["check", Path.Combine(Fixtures("hw02"), "partial.ipynb"), .. ExternalClient.SandboxOrNot]);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("PASS  test-loss", check.StdOut);   // the visible test does not catch the overflow
        Assert.Contains("FAIL  test-finite-differences", check.StdOut);
        Assert.DoesNotContain("1000", check.StdOut);        // what only the hidden tests check
        Assert.Contains("3/4 visible test cell(s) pass", check.StdOut);
    }

    [Theory]
    [InlineData("hw01_entropy-and-log-softmax", "tests reject 21 of 21 declared wrong answers; 4 of 4 declared right answers earn every point")]
    [InlineData("hw03_kl-typical-set-and-weighted-bce", "tests reject 18 of 18 declared wrong answers; 3 of 3 declared right answers earn every point")]
    public void Assign_accepts_a_shipped_homework_whose_tests_reject_every_declared_wrong_answer(string source, string summary)
    {
        string students = Path.Combine(_dir, "students");
        var r = Run(["assign", Source(source), "--out", students, .. ExternalClient.SandboxOrNot]);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains($"{source}.ipynb: {summary}", r.StdOut);
        Assert.DoesNotContain("declared_answer", File.ReadAllText(Path.Combine(students, source + ".ipynb")));
    }

    [Fact]
    public void Assign_refuses_a_source_whose_solution_fails_its_own_tests_naming_the_cell()
    {
        string text = File.ReadAllText(Source("hw01_entropy-and-log-softmax"))
            .Replace("h -= pi * Math.Log(pi);", "h += pi * Math.Log(pi);", StringComparison.Ordinal);
        string broken = Path.Combine(_dir, "broken.ipynb");
        File.WriteAllText(broken, text);

        var r = Run(["assign", broken, "--out", Path.Combine(_dir, "out"), .. ExternalClient.SandboxOrNot]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("'test-entropy'", r.StdErr);
        Assert.Contains("the solution fails its own tests", r.StdErr);
        Assert.False(File.Exists(Path.Combine(_dir, "out", "broken.ipynb")));
    }

    private static string DeclaredFixture =>
        Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Grading", "Fixtures", "declared", "declared-answers.ipynb");

    [Fact]
    public void Assign_grades_the_declared_answers_and_says_how_many_wrong_ones_the_tests_reject()
    {
        string outDir = Path.Combine(_dir, "out");
        var r = Run(["assign", DeclaredFixture, "--out", outDir, .. ExternalClient.SandboxOrNot]);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("tests reject 2 of 2 declared wrong answers; 1 of 1 declared right answers earn every point", r.StdOut);
        string handout = File.ReadAllText(Path.Combine(outDir, "declared-answers.ipynb"));
        Assert.DoesNotContain("declared_answer", handout);
        Assert.DoesNotContain("(int)x", handout);
        Assert.Empty(Directory.EnumerateDirectories(_temp, "workbook-*"));
    }

    [Fact]
    public void Assign_refuses_a_source_whose_tests_miss_a_declared_wrong_answer_naming_the_answer_and_the_part()
    {
        // Without the test at 0.5, nothing catches the answer that drops the fraction (the one at -1 still catches x + 3).
        string text = File.ReadAllText(DeclaredFixture);
        string weakened = text.Replace("if (Twice(0.5) != 1)", "if (false && Twice(0.5) != 1)", StringComparison.Ordinal);
        Assert.NotEqual(text, weakened);
        string weak = Path.Combine(_dir, "declared-answers.ipynb");
        File.WriteAllText(weak, weakened);

        var r = Run(["assign", weak, "--out", Path.Combine(_dir, "out"), .. ExternalClient.SandboxOrNot]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("declared wrong answer 'wrong-truncates' (for 'twice': drops the fraction (an int cast)) earns 1 of the 1 " +
                        "points of part 'test-twice'", r.StdErr);
        Assert.DoesNotContain("'wrong-adds-three'", r.StdErr);
        Assert.Contains("tests reject 1 of 2 declared wrong answers", r.StdErr);
        Assert.False(File.Exists(Path.Combine(_dir, "out", "declared-answers.ipynb")));
    }

    [Fact]
    public void Assign_refuses_unbalanced_markers_and_missing_points()
    {
        string text = File.ReadAllText(Source("hw01_entropy-and-log-softmax"))
            .Replace("// END SOLUTION", "// the end", StringComparison.Ordinal)
            .Replace("\"points\": 3", "\"points\": 0", StringComparison.Ordinal);
        string broken = Path.Combine(_dir, "broken.ipynb");
        File.WriteAllText(broken, text);

        var r = Run(["assign", broken, "--out", Path.Combine(_dir, "out"), .. ExternalClient.SandboxOrNot]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("BEGIN SOLUTION is never closed", r.StdErr);
        Assert.Contains("has no points", r.StdErr);
    }

    [Fact]
    public void A_grading_worker_that_cannot_start_fails_grade_with_its_stderr_and_writes_no_grades()
    {
        string outDir = Path.Combine(_dir, "out");
        // 2 MiB is too little for the runtime to create its GC heap: every worker dies before any code runs, after
        // the runtime has said so on standard error. (With a few MiB more the runtime starts and the kernel runs out
        // of memory wherever it happens to be, sometimes where nothing can be printed.)
        var r = Run(["grade", "--assignment", Source("hw01_entropy-and-log-softmax"),
            Path.Combine(Fixtures("hw01"), "solution.ipynb"), "--out", outDir, "--memory-limit", "2", .. ExternalClient.SandboxOrNot]);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("nothing was graded", r.StdErr);
        Assert.Contains("before its kernel was ready", r.StdErr);
        Assert.Contains("last lines on standard error:", r.StdErr);
        Assert.Contains("GC heap initialization failed", r.StdErr);
        Assert.False(File.Exists(Path.Combine(outDir, "grades.csv")), "grades.csv was written");
    }
}
