using System.Text;
using Workbook.Host.Grading;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Tests.Grading;

public class CanaryTests
{
    private const string Nonce = "0123456789abcdef0123456789abcdef";

    private static IsolatedCellResult Result(CellStatus status, string message) => new(status, message, null);

    [Fact]
    public void A_test_that_runs_to_its_end_fails_with_its_nonce_and_that_is_a_pass()
    {
        var judged = Canary.Judge(Result(CellStatus.Failed, "System.Exception: workbook-canary-" + Nonce), Nonce);
        Assert.Equal(CellStatus.Passed, judged.Status);
        Assert.Equal("", judged.Message);
    }

    [Fact]
    public void A_test_cell_that_reports_success_never_reached_its_canary_and_is_tampered()
    {
        var judged = Canary.Judge(Result(CellStatus.Passed, ""), Nonce);
        Assert.Equal(CellStatus.Tampered, judged.Status);
        Assert.Contains("without reaching its canary", judged.Message);
    }

    [Fact]
    public void A_failure_with_another_nonce_or_a_rewritten_error_does_not_pass()
    {
        Assert.Equal(CellStatus.Failed,
            Canary.Judge(Result(CellStatus.Failed, "System.Exception: workbook-canary-" + new string('f', 32)), Nonce).Status);
        Assert.Equal(CellStatus.Tampered,
            Canary.Judge(Result(CellStatus.Failed, "Fake: workbook-canary-" + Nonce), Nonce).Status);
    }

    [Theory]
    [InlineData(CellStatus.Failed, "System.Exception: H(fair coin): got 42")]
    [InlineData(CellStatus.Timeout, "the cell did not finish within 10 s")]
    [InlineData(CellStatus.Crashed, "the grading process died while running this cell (exit code 134)")]
    public void A_test_that_failed_timed_out_or_crashed_on_its_own_keeps_its_status_and_message(CellStatus status, string message)
    {
        var judged = Canary.Judge(Result(status, message), Nonce);
        Assert.Equal(status, judged.Status);
        Assert.Equal(message, judged.Message);
    }

    [Fact]
    public void Each_nonce_is_fresh_and_the_source_rejects_a_nonce_that_is_not_hex()
    {
        Assert.NotEqual(Canary.NewNonce(), Canary.NewNonce());
        Assert.Equal(32, Canary.NewNonce().Length);
        var e = Assert.Throws<ArgumentException>(() => Canary.Source("1", "\"); Pass(); //"));
        Assert.Equal("nonce", e.ParamName);
    }

    [Fact]
    public void Apply_rewrites_only_the_cells_it_has_a_nonce_for()
    {
        var doc = IpynbDocument.Parse("""
            {"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[
             {"cell_type":"code","id":"a","metadata":{},"source":["var x = 1;"],"outputs":[],"execution_count":null},
             {"cell_type":"code","id":"t","metadata":{},"source":["Check(x)"],"outputs":[],"execution_count":null}]}
            """);
        var applied = Canary.Apply(doc, new Dictionary<string, string> { ["t"] = Nonce });
        Assert.Equal("var x = 1;", applied.Cells[0].Source);
        Assert.Equal($"Check(x);\nthrow new System.Exception(\"workbook-canary-{Nonce}\");\n", applied.Cells[1].Source);
    }

    [Theory]
    [InlineData("Check(x)", "Check(x);")]
    [InlineData("var y = 2;\ny + 1 // shown", "var y = 2;\n_ = (y + 1); // shown")]
    [InlineData("Check(x);", "Check(x);")]
    [InlineData("if (x) { Check(x); }", "if (x) { Check(x); }")]
    public void A_trailing_expression_becomes_a_statement_so_the_canary_can_follow_it(string source, string expected) =>
        Assert.Equal(expected, Canary.EndTrailingExpression(source));

    [Fact]
    public async Task In_a_real_kernel_the_canary_form_compiles_after_a_trailing_expression_a_comment_and_a_block()
    {
        string[] tests =
        [
            "var y = 2;\ny + 1",                 // a trailing value without a semicolon
            "Console.WriteLine(2)",               // a trailing call without a semicolon
            "if (1 > 0) { var z = 3; }\n// done", // a block, then a line comment
            "throw new InvalidOperationException(\"the test failed\");",
        ];
        await using var executor = await Workbook.Host.Execution.InProcessExecutor.StartAsync();
        var results = new List<IsolatedCellResult>();
        for (int i = 0; i < tests.Length; i++)
        {
            var outcome = await executor.ExecuteAsync(
                new Workbook.Host.Execution.CellRequest(Canary.Source(tests[i], Nonce), i + 1), _ => { });
            // as the grader records a failed cell: the error's type and the first line of its message
            results.Add(outcome.Error is { } e
                ? new IsolatedCellResult(CellStatus.Failed, IsolatedRunner.Describe(e), null)
                : new IsolatedCellResult(CellStatus.Passed, "", null));
        }

        Assert.Equal(CellStatus.Passed, Canary.Judge(results[0], Nonce).Status);
        Assert.Equal(CellStatus.Passed, Canary.Judge(results[1], Nonce).Status);
        Assert.Equal(CellStatus.Passed, Canary.Judge(results[2], Nonce).Status);
        var failed = Canary.Judge(results[3], Nonce);
        Assert.Equal(CellStatus.Failed, failed.Status);
        Assert.Equal("System.InvalidOperationException: the test failed", failed.Message);
    }
}
