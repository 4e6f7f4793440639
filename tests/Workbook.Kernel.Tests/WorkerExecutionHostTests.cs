using Workbook.Host;

namespace Workbook.Kernel.Tests;

/// <summary>The worker process that <c>kernel start</c> runs code in (the built <c>workbook kernel worker</c>).</summary>
public class WorkerExecutionHostTests
{
    private static Task<WorkerExecutionHost> StartAsync() =>
        WorkerExecutionHost.StartAsync(["dotnet", Path.Combine(AppContext.BaseDirectory, "workbook.dll"), "kernel", "worker"]);

    private static async Task<(ExecutionOutcome Outcome, List<CellOutput> Outputs)> Run(IExecutionHost host, string code, int count)
    {
        var outputs = new List<CellOutput>();
        var outcome = await host.ExecuteAsync(code, count, outputs.Add).WaitAsync(TimeSpan.FromMinutes(1));
        return (outcome, outputs);
    }

    [Fact]
    public async Task Outputs_completions_and_hover_come_back_from_the_worker()
    {
        await using var host = await StartAsync();
        var (outcome, outputs) = await Run(host, "Console.ReadLine(); Console.WriteLine(\"hi\"); 6*7", 1);
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal("hi", Assert.IsType<StreamOutput>(outputs[0]).Text.Trim());
        Assert.Equal("42", Assert.IsType<ReturnValueOutput>(outputs[1]).Data["text/plain"]);

        var completion = await host.CompleteAsync("Console.Wri", 11);
        Assert.Contains("WriteLine", completion.Matches);
        Assert.NotNull(await host.InspectAsync("Console.WriteLine", 12));
    }

    [Fact]
    public async Task A_tight_loop_is_stopped_by_replacing_the_worker_and_the_next_cell_runs()
    {
        await using var host = await StartAsync();
        await Run(host, "var kept = 1;", 1);
        var running = host.ExecuteAsync("while (true) {}", 2, _ => { });
        await Task.Delay(1500);
        host.Interrupt();
        var outcome = await running.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(outcome.KernelWasReset);
        Assert.Equal("KeyboardInterrupt", outcome.Error?.Name);
        var (after, outputs) = await Run(host, "2+3", 3);
        Assert.True(after.Succeeded, after.Error?.Message);
        Assert.Equal("5", Assert.IsType<ReturnValueOutput>(Assert.Single(outputs)).Data["text/plain"]);
        var (gone, _) = await Run(host, "kept", 4);
        Assert.False(gone.Succeeded); // a fresh worker: the variable is gone
    }

    [Fact]
    public async Task A_cell_that_ends_the_process_reports_it_and_a_fresh_worker_takes_over()
    {
        await using var host = await StartAsync();
        var (outcome, outputs) = await Run(host, "Environment.Exit(3);", 1);
        Assert.Equal("KernelDied", outcome.Error?.Name);
        Assert.Contains("exit code 3", outcome.Error!.Message, StringComparison.Ordinal);
        Assert.IsType<ErrorOutput>(Assert.Single(outputs));

        var (after, _) = await Run(host, "1+1", 2);
        Assert.True(after.Succeeded, after.Error?.Message);
    }
}
