using Workbook.Host;

namespace Workbook.Kernel.Tests;

public class ExecutionSessionTests
{
    [Fact]
    public async Task A_tight_loop_is_interrupted_and_the_kernel_stays_usable()
    {
        await using var session = await ExecutionSession.StartAsync();
        session.Interrupt(); // nothing running: no effect
        var outputs = new List<CellOutput>();
        var running = session.ExecuteAsync("while (true) {}", 1, outputs.Add);
        await Task.Delay(1500);
        session.Interrupt();
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("KeyboardInterrupt", outcome.Error?.Name);

        var after = new List<CellOutput>();
        var next = await session.ExecuteAsync("2+3", 2, after.Add).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(next.Succeeded, next.Error?.Message);
        Assert.Equal("5", Assert.IsType<ReturnValueOutput>(Assert.Single(after)).Data["text/plain"]);
    }
}
