using System.Diagnostics;
using Workbook.Host.Execution;
using Workbook.Host.Rendering;
using Workbook.Host.Tests.Rendering;

namespace Workbook.Host.Tests.Execution;

/// <summary>The worker-process executor, driving the built <c>workbook worker</c> (workbook.dll next to the
/// tests) directly.</summary>
public sealed class WorkerExecutorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-worker-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<WorkerExecutor> StartAsync(long? memoryLimit = null) =>
        WorkerExecutor.StartAsync(new WorkerOptions { WorkingDirectory = _dir, MemoryLimitBytes = memoryLimit });

    private static async Task<(ExecutionOutcome Outcome, List<CellOutput> Outputs)> Run(ICellExecutor executor,
        string code, int count, TimeSpan? timeout = null)
    {
        var outputs = new List<CellOutput>();
        var outcome = await executor.ExecuteAsync(new CellRequest(code, count, timeout), outputs.Add)
            .WaitAsync(TimeSpan.FromMinutes(2));
        return (outcome, outputs);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Outputs_stream_in_order_and_the_error_comes_last()
    {
        await using var executor = await StartAsync();
        var (outcome, outputs) = await Run(executor,
            "Console.WriteLine(\"a\"); display(\"b\"); Console.Error.WriteLine(\"c\"); throw new ArgumentException(\"d\");", 1);

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Collection(outputs,
            o => Assert.Equal(("stdout", "a"), (Assert.IsType<StreamOutput>(o).Name, ((StreamOutput)o).Text.Trim())),
            o => Assert.Equal("b", Assert.IsType<DisplayOutput>(o).Data["text/plain"]),
            o => Assert.Equal(("stderr", "c"), (Assert.IsType<StreamOutput>(o).Name, ((StreamOutput)o).Text.Trim())),
            o => Assert.Equal("System.ArgumentException", Assert.IsType<ErrorOutput>(o).Name));
        Assert.Equal(outputs[^1], outcome.Error);
    }

    [FactNeedsChromium]
    public async Task A_charts_cell_ends_with_its_html_and_the_png_follows_as_an_update_of_the_same_display()
    {
        await using var executor = await StartAsync();
        var outputs = new List<CellOutput>();
        var gate = new Lock();
        var outcome = await executor.ExecuteAsync(new CellRequest(
                "using Workbook.Charts;\nPlot.Line(new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 }, \"a\").Titled(\"t\", \"x\", \"y\")", 1),
            o =>
            {
                lock (gate)
                {
                    outputs.Add(o);
                }
            }).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(ExecutionStatus.Ok, outcome.Status);
        DisplayOutput shown;
        lock (gate)
        {
            // When the cell returns, its chart is there as HTML; the image is not waited for.
            shown = Assert.IsType<DisplayOutput>(outputs[0]);
        }

        Assert.Contains(ChartFormatting.ChartClass, shown.Data["text/html"]);
        Assert.DoesNotContain("image/png", shown.Data.Keys);
        Assert.NotNull(shown.DisplayId);

        await outcome.Settled.WaitAsync(TimeSpan.FromMinutes(2));
        lock (gate)
        {
            var update = Assert.IsType<DisplayUpdateOutput>(Assert.Single(outputs, o => o is DisplayUpdateOutput));
            Assert.Equal(shown.DisplayId, update.DisplayId);
            Assert.StartsWith("iVBORw0KGgo", update.Data["image/png"]);
            Assert.Equal(shown.Data["text/html"], update.Data["text/html"]);
        }

        // Folded as a saved notebook keeps it: one display with both the HTML and the image.
        var collector = new OutputCollector();
        lock (gate)
        {
            outputs.ForEach(collector.Add);
        }

        var saved = Assert.IsType<DisplayOutput>(Assert.Single(collector.Outputs));
        Assert.Contains("image/png", saved.Data.Keys);
        Assert.Contains("text/html", saved.Data.Keys);
    }

    [FactNeedsChromium]
    public async Task In_the_background_the_charts_chromium_runs_below_the_cells_and_the_worker_keeps_its_priority()
    {
        await using var executor = await WorkerExecutor.StartAsync(
            new WorkerOptions { WorkingDirectory = _dir, ChartImagesInBackground = true });
        for (int i = 1; i <= 3; i++)
        {
            var (outcome, _) = await Run(executor,
                "using Workbook.Charts;\nPlot.Line(new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 }, \"a\")", i);
            await outcome.Settled.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal((0, null), executor.ChartImagesSkipped);
        }

        int worker = executor.ProcessId!.Value;
        var own = Directory.EnumerateDirectories($"/proc/{worker}/task").ToList();
        var below = BackgroundPriorityTests.ThreadsOfTree(worker).Except(own).ToList();

        // The worker is born at this process's priority; chromium goes that much plus the background's below.
        int caller = BackgroundPriorityTests.NiceOfThisProcess();
        int lowered = Math.Min(19, caller + BackgroundPriority.Nice);

        Assert.NotEmpty(below);
        Assert.All(below, t => Assert.True(BackgroundPriority.NiceOf(t) is null || BackgroundPriority.NiceOf(t) >= lowered,
            $"{t} ({ChartImagesTests.Comm(t)}): nice {BackgroundPriority.NiceOf(t)}"));
        Assert.All(own, t => Assert.True(BackgroundPriority.NiceOf(t) is null || BackgroundPriority.NiceOf(t) == caller,
            $"{t} ({ChartImagesTests.Comm(t)}): nice {BackgroundPriority.NiceOf(t)}"));
    }

    [FactNeedsChromium]
    public async Task A_worker_ended_after_drawing_a_chart_leaves_nothing_in_its_temporary_folder()
    {
        // The worker is killed (with its chromium) and cannot clean up: the executor removes what it left.
        string temp = Directory.CreateDirectory(Path.Combine(_dir, "tmp")).FullName;
        var executor = await WorkerExecutor.StartAsync(new WorkerOptions
        {
            WorkingDirectory = _dir,
            Environment = new Dictionary<string, string> { ["TMPDIR"] = temp },
        });
        try
        {
            var (outcome, _) = await Run(executor,
                "using Workbook.Charts;\nPlot.Line(new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 }, \"a\")", 1);
            await outcome.Settled.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal((0, null), executor.ChartImagesSkipped);
            Assert.Single(Directory.GetDirectories(temp, ChartImages.ProfilePrefix + "*"));
        }
        finally
        {
            await executor.DisposeAsync();
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
    }

    [Fact]
    public async Task The_worker_runs_in_its_own_working_directory_and_this_process_keeps_its_own()
    {
        string before = Directory.GetCurrentDirectory();
        File.WriteAllText(Path.Combine(_dir, "here.txt"), "found relative to the worker's folder");
        await using var executor = await StartAsync();
        var (outcome, outputs) = await Run(executor, "System.IO.File.ReadAllText(\"here.txt\")", 1);

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal("found relative to the worker's folder", Assert.IsType<ReturnValueOutput>(Assert.Single(outputs)).Data["text/plain"]);
        Assert.Equal(before, Directory.GetCurrentDirectory());
    }

    [Fact]
    public async Task Console_in_a_cell_cannot_read_or_write_the_protocol_channel()
    {
        await using var executor = await StartAsync();
        // A cell that reads standard input, and writes a forged reply both to Console.Out and to the process's
        // standard output stream, neither reaches the protocol: the cell's own outputs come back as they are.
        string forged = "{\\\"id\\\":1,\\\"done\\\":{\\\"status\\\":\\\"ok\\\"}}";
        var (outcome, outputs) = await Run(executor,
            $"var line = Console.ReadLine(); Console.WriteLine(\"{forged}\"); " +
            $"using (var raw = new System.IO.StreamWriter(Console.OpenStandardOutput())) raw.WriteLine(\"{forged}\"); " +
            "throw new Exception(\"read: \" + (line ?? \"nothing\"));", 1);

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal("read: nothing", outcome.Error!.Message);
        var (next, nextOutputs) = await Run(executor, "6*7", 2);
        Assert.True(next.Succeeded, next.Error?.Message);
        Assert.Equal("42", Assert.IsType<ReturnValueOutput>(Assert.Single(nextOutputs)).Data["text/plain"]);
    }

    [Fact]
    public async Task A_cell_past_its_time_limit_is_stopped_by_ending_its_worker_and_the_next_cell_runs_fresh()
    {
        await using var executor = await StartAsync();
        await Run(executor, "var kept = 1;", 1);
        int first = executor.ProcessId!.Value;

        var (outcome, outputs) = await Run(executor, "while (true) {}", 2, TimeSpan.FromSeconds(2));

        Assert.Equal(ExecutionStatus.TimedOut, outcome.Status);
        Assert.True(outcome.KernelWasReset);
        Assert.Equal("TimeoutError", outcome.Error!.Name);
        Assert.Equal("the cell did not finish within 2 s", outcome.Error.Message);
        Assert.Equal(outcome.Error, Assert.Single(outputs));
        Assert.False(IsAlive(first), "the worker running the loop is still alive");

        var (after, afterOutputs) = await Run(executor, "2+3", 3);
        Assert.True(after.Succeeded, after.Error?.Message);
        Assert.Equal("5", Assert.IsType<ReturnValueOutput>(Assert.Single(afterOutputs)).Data["text/plain"]);
        Assert.NotEqual(first, executor.ProcessId);
        var (gone, _) = await Run(executor, "kept", 4);
        Assert.False(gone.Succeeded); // a fresh worker: the variable is gone
    }

    [Fact]
    public async Task An_interrupted_tight_loop_is_stopped_by_replacing_the_worker()
    {
        await using var executor = await StartAsync();
        int first = executor.ProcessId!.Value;
        var outputs = new List<CellOutput>();
        var running = executor.ExecuteAsync(new CellRequest("Console.WriteLine(\"started\"); while (true) {}", 1), outputs.Add);
        // Wait for the state the interrupt depends on: the cell is running (its first output arrived).
        var clock = Stopwatch.StartNew();
        while (!outputs.OfType<StreamOutput>().Any() && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(50);
        }

        executor.Interrupt();
        var outcome = await running.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(ExecutionStatus.Interrupted, outcome.Status);
        Assert.True(outcome.KernelWasReset);
        Assert.Equal("KeyboardInterrupt", outcome.Error?.Name);
        Assert.False(IsAlive(first), "the worker running the loop is still alive");
        var (after, _) = await Run(executor, "1+1", 2);
        Assert.True(after.Succeeded, after.Error?.Message);
    }

    [Fact]
    public async Task An_interrupted_wait_keeps_the_worker_and_its_variables()
    {
        await using var executor = await StartAsync();
        await Run(executor, "var kept = 7;", 1);
        var outputs = new List<CellOutput>();
        var running = executor.ExecuteAsync(
            new CellRequest("Console.WriteLine(\"waiting\"); await Task.Delay(60_000);", 2), outputs.Add);
        var clock = Stopwatch.StartNew();
        while (!outputs.OfType<StreamOutput>().Any() && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(50);
        }

        executor.Interrupt();
        var outcome = await running.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(ExecutionStatus.Interrupted, outcome.Status);
        Assert.False(outcome.KernelWasReset);
        var (after, afterOutputs) = await Run(executor, "kept", 3);
        Assert.True(after.Succeeded, after.Error?.Message);
        Assert.Equal("7", Assert.IsType<ReturnValueOutput>(Assert.Single(afterOutputs)).Data["text/plain"]);
    }

    [Fact]
    public async Task A_cell_that_exits_the_process_is_named_with_the_exit_code_and_a_fresh_worker_takes_over()
    {
        await using var executor = await StartAsync();
        var (outcome, outputs) = await Run(executor, "Console.Error.WriteLine(\"last words\"); Environment.Exit(3);", 1);

        Assert.Equal(ExecutionStatus.WorkerDied, outcome.Status);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("KernelDied", outcome.Error!.Name);
        Assert.Contains("exit code 3", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Equal(outcome.Error, outputs.OfType<ErrorOutput>().Single());

        var (after, _) = await Run(executor, "1+1", 2);
        Assert.True(after.Succeeded, after.Error?.Message);
    }

    [Fact]
    public async Task A_stack_overflow_is_attributed_to_its_cell_with_the_workers_last_stderr_lines()
    {
        await using var executor = await StartAsync();
        var (outcome, _) = await Run(executor, "int Deep(int n) => Deep(n + 1) + 1; Deep(0)", 1);

        Assert.Equal(ExecutionStatus.WorkerDied, outcome.Status);
        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains(outcome.Error!.Traceback, l => l.Contains("Stack overflow", StringComparison.Ordinal));
        Assert.Contains(outcome.Error.Traceback, l => l.Contains("Deep", StringComparison.Ordinal));
        var (after, _) = await Run(executor, "1+1", 2);
        Assert.True(after.Succeeded, after.Error?.Message);
    }

    [Fact]
    public async Task The_memory_limit_makes_an_unbounded_allocation_fail_and_the_kernel_goes_on()
    {
        await using var executor = await StartAsync(memoryLimit: 768L << 20);
        var (outcome, _) = await Run(executor,
            // A local of a local function, so the memory is garbage once the cell has failed.
            "void Hog() { var hog = new List<byte[]>(); while (true) { var b = new byte[16 << 20]; b[0] = 1; hog.Add(b); } } Hog();", 1);

        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal("System.OutOfMemoryException", outcome.Error!.Name);
        var (after, outputs) = await Run(executor, "GC.Collect(); 1+1", 2);
        Assert.True(after.Succeeded, after.Error?.Message);
        Assert.Equal("2", Assert.IsType<ReturnValueOutput>(Assert.Single(outputs)).Data["text/plain"]);
    }

    [Fact]
    public async Task A_worker_that_cannot_start_is_an_error_with_its_exit_code_and_stderr()
    {
        var launcher = new WorkerLauncher("/bin/sh", ["-c", "echo 'the runtime is missing' >&2; exit 7"]);
        var e = await Assert.ThrowsAsync<WorkerStartException>(() =>
            WorkerExecutor.StartAsync(new WorkerOptions { WorkingDirectory = _dir, Launcher = launcher }));

        Assert.Contains("exit code 7", e.Message, StringComparison.Ordinal);
        Assert.Contains("the runtime is missing", e.Message, StringComparison.Ordinal);
        Assert.Equal(["the runtime is missing"], e.Stderr);
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_a_worker_start_error_naming_it()
    {
        var launcher = new WorkerLauncher(Path.Combine(_dir, "no-such-program"), []);
        var e = await Assert.ThrowsAsync<WorkerStartException>(() =>
            WorkerExecutor.StartAsync(new WorkerOptions { WorkingDirectory = _dir, Launcher = launcher }));

        Assert.Contains("no-such-program", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_launcher_prefix_runs_in_front_of_the_worker_command()
    {
        // `env` as a stand-in for a sandbox such as bwrap: it sets a variable, then runs the worker command.
        var launcher = WorkerLauncher.Default.WithPrefix("/usr/bin/env", "WORKBOOK_PREFIXED=yes");
        await using var executor = await WorkerExecutor.StartAsync(new WorkerOptions { WorkingDirectory = _dir, Launcher = launcher });
        var (outcome, outputs) = await Run(executor, "Environment.GetEnvironmentVariable(\"WORKBOOK_PREFIXED\")", 1);

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal("yes", Assert.IsType<ReturnValueOutput>(Assert.Single(outputs)).Data["text/plain"]);
    }

    [Fact]
    public async Task A_worker_reply_of_the_wrong_shape_fails_its_cell_and_never_the_executor()
    {
        // A stand-in for code that writes to the worker's protocol channel: every reply is malformed (a status that is
        // a number, an output of an unknown type, a refusal), and none of it may crash or hang the executor.
        const string script = """
            echo '{"ready":true}'
            while read -r line; do
              id=$(printf '%s' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
              echo "{\"id\":$id,\"output\":{\"output_type\":7}}"
              echo "{\"id\":\"x\",\"done\":{}}"
              echo "{\"id\":$id,\"done\":{\"status\":5}}"
            done
            """;
        var launcher = new WorkerLauncher("/bin/sh", ["-c", script]);
        await using var executor = await WorkerExecutor.StartAsync(new WorkerOptions { WorkingDirectory = _dir, Launcher = launcher });

        var (first, outputs) = await Run(executor, "1 + 1", 1);
        var (second, _) = await Run(executor, "2 + 2", 2);

        Assert.Equal(ExecutionStatus.Failed, first.Status);
        Assert.True(first.KernelWasReset);
        Assert.Equal("ProtocolError", first.Error!.Name);
        Assert.Equal("ProtocolError", Assert.IsType<ErrorOutput>(Assert.Single(outputs)).Name);
        Assert.Equal(ExecutionStatus.Failed, second.Status); // a fresh worker, as malformed as the first
    }

    [Fact]
    public async Task A_cell_that_floods_its_outputs_is_cut_off_with_a_clear_error_and_the_next_cell_runs_fresh()
    {
        await using var executor = await WorkerExecutor.StartAsync(new WorkerOptions
        {
            WorkingDirectory = _dir, MaxCellBytes = 4 << 20, MaxMessageBytes = 1 << 20,
        });

        var (flood, _) = await Run(executor, "var s = new string('x', 100_000); while (true) Console.Write(s);", 1);
        var (giant, _) = await Run(executor, "Console.Write(new string('y', 3 << 20));", 2);
        var (next, outputs) = await Run(executor, "Console.Write(6 * 7);", 3);

        Assert.Equal(ExecutionStatus.Failed, flood.Status);
        Assert.True(flood.KernelWasReset);
        Assert.Equal("OutputLimitError", flood.Error!.Name);
        Assert.Equal("the cell's outputs exceeded 4 MiB", flood.Error.Message);
        Assert.Equal("the cell sent a message larger than 1 MiB", giant.Error!.Message);
        Assert.Equal(ExecutionStatus.Ok, next.Status);
        Assert.Equal("42", string.Concat(outputs.OfType<StreamOutput>().Select(o => o.Text)));
    }

    [Fact]
    public async Task Completions_and_hover_come_back_from_the_worker()
    {
        await using var executor = await StartAsync();
        var completion = await executor.CompleteAsync("Console.Wri", 11);
        Assert.Contains("WriteLine", completion.Matches);
        Assert.Equal(8, completion.CursorStart);
        Assert.NotNull(await executor.InspectAsync("Console.WriteLine", 12));
    }

    [Fact]
    public async Task Disposing_ends_the_worker()
    {
        var executor = await StartAsync();
        int pid = executor.ProcessId!.Value;
        await executor.DisposeAsync();
        Assert.False(IsAlive(pid));
    }
}
