using Workbook.Host.Execution;

namespace Workbook.Host.Tests.Execution;

public class InProcessExecutorTests
{
    [Fact]
    public async Task A_tight_loop_is_interrupted_and_the_kernel_stays_usable()
    {
        await using var session = await InProcessExecutor.StartAsync();
        session.Interrupt(); // nothing running: no effect
        var outputs = new List<CellOutput>();
        var running = session.ExecuteAsync(new CellRequest("while (true) {}", 1), outputs.Add);
        await Task.Delay(1500);
        session.Interrupt();
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("KeyboardInterrupt", outcome.Error?.Name);

        var after = new List<CellOutput>();
        var next = await session.ExecuteAsync(new CellRequest("2+3", 2), after.Add).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(next.Succeeded, next.Error?.Message);
        Assert.Equal("5", Assert.IsType<ReturnValueOutput>(Assert.Single(after)).Data["text/plain"]);
    }

    [Fact]
    public async Task Outputs_stream_in_order_and_an_error_comes_last()
    {
        await using var session = await InProcessExecutor.StartAsync();
        var outputs = new List<CellOutput>();
        var outcome = await session.ExecuteAsync(new CellRequest(
            "Console.WriteLine(\"a\"); display(\"b\"); throw new ArgumentException(\"c\");", 1), outputs.Add);

        Assert.False(outcome.Succeeded);
        Assert.Collection(outputs,
            o => Assert.Equal("a\n", Assert.IsType<StreamOutput>(o).Text.Replace("\r\n", "\n", StringComparison.Ordinal)),
            o => Assert.Equal("b", Assert.IsType<DisplayOutput>(o).Data["text/plain"]),
            o => Assert.Equal("System.ArgumentException", Assert.IsType<ErrorOutput>(o).Name));
    }

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("if (true) {", "incomplete")]
    [InlineData("", "complete")]
    [InlineData("Console.WriteLine(", "incomplete")]
    public void Is_complete_follows_the_csharp_script_grammar(string code, string expected)
    {
        Assert.Equal(expected, CSharpSubmission.IsComplete(code));
    }

    [Fact]
    public async Task An_interrupted_wait_reports_only_the_interrupt_and_the_kernel_goes_on()
    {
        await using var session = await InProcessExecutor.StartAsync();
        await session.ExecuteAsync(new CellRequest("var kept = 7;", 1), _ => { });
        var outputs = new List<CellOutput>();
        var running = session.ExecuteAsync(new CellRequest("Console.WriteLine(\"waiting\"); await Task.Delay(60_000);", 2), outputs.Add);
        await Task.Delay(1500);
        session.Interrupt();
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("KeyboardInterrupt", outcome.Error?.Name);
        Assert.IsType<StreamOutput>(outputs[0]);
        Assert.Equal(outcome.Error, Assert.Single(outputs.OfType<ErrorOutput>()));
        Assert.Empty(outputs.OfType<ReturnValueOutput>());

        var after = new List<CellOutput>();
        var next = await session.ExecuteAsync(new CellRequest(outcome.KernelWasReset ? "7" : "kept", 3), after.Add);
        Assert.True(next.Succeeded, next.Error?.Message);
        Assert.Equal("7", Assert.IsType<ReturnValueOutput>(Assert.Single(after)).Data["text/plain"]);
    }
}
