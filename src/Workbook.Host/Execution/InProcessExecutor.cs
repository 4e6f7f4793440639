using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Workbook.Host.Rendering;

namespace Workbook.Host.Execution;

/// <summary>Executes cells in a <see cref="NotebookKernelFactory"/> in this process: runs them one at a time, streams
/// their outputs as they happen, answers completion and hover requests, and can be interrupted or replaced. The
/// worker process of a <see cref="WorkerExecutor"/> runs one of these.</summary>
/// <remarks>Interrupting (or a cell's time limit) first asks .NET Interactive to cancel the running command, which
/// ends the command but cannot stop compiled C# code: the code is detached. If the kernel then answers a trivial
/// command within <see cref="InterruptGrace"/>, it is kept (variables survive). If it does not (a tight loop blocks
/// it), the executor drops that kernel and starts a fresh one when <see cref="ReplaceBlockedKernel"/> is set
/// (variables are lost). A thread cannot be aborted in .NET, so a detached loop keeps a CPU busy until the process
/// ends: only a <see cref="WorkerExecutor"/> stops such code for real.</remarks>
public sealed partial class InProcessExecutor : ICellExecutor
{
    private readonly Func<CancellationToken, Task<CompositeKernel>> _factory;
    private readonly FigureJsonWriter _figures = new();
    private readonly Lock _gate = new();
    private CompositeKernel _kernel;
    private TaskCompletionSource? _interrupt;

    private InProcessExecutor(CompositeKernel kernel, Func<CancellationToken, Task<CompositeKernel>> factory)
    {
        _kernel = kernel;
        _factory = factory;
    }

    /// <summary>Whether a kernel that an interrupted cell keeps blocked is replaced here (default). The worker
    /// process sets it to false: its executor ends the whole process instead, which also stops the code.</summary>
    public bool ReplaceBlockedKernel { get; init; } = true;

    /// <summary>This session's static chart images: each chart a cell shows is reported at once as HTML, and its
    /// PNG follows as a display update when chromium has drawn it.</summary>
    internal ChartImages ChartImages { get; private init; } = new();

    /// <summary>How long an interrupted cell may take to stop before the kernel counts as blocked.</summary>
    public TimeSpan InterruptGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Starts an executor on a new kernel from <paramref name="factory"/> (default
    /// <see cref="NotebookKernelFactory.CreateAsync"/>).</summary>
    /// <param name="factory">Builds the kernel.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="replaceBlockedKernel">See <see cref="ReplaceBlockedKernel"/>.</param>
    /// <param name="chartImagesInBackground">Whether the charts' images are drawn below the cells (an editor's
    /// kernel, see <see cref="ChartImages.InBackground"/>).</param>
    public static async Task<InProcessExecutor> StartAsync(
        Func<CancellationToken, Task<CompositeKernel>>? factory = null, CancellationToken cancellationToken = default,
        bool replaceBlockedKernel = true, bool chartImagesInBackground = false)
    {
        factory ??= NotebookKernelFactory.CreateAsync;
        var kernel = await factory(cancellationToken);
        return new InProcessExecutor(kernel, factory)
        {
            ReplaceBlockedKernel = replaceBlockedKernel,
            ChartImages = new ChartImages { InBackground = chartImagesInBackground },
        };
    }

    /// <summary>Runs the cell and reports each output as it is produced, in order: stream writes, displays,
    /// display updates, the return value, and finally the error, if any. A cell past its time limit, or when
    /// <paramref name="cancellationToken"/> is cancelled, is interrupted.</summary>
    public async Task<ExecutionOutcome> ExecuteAsync(CellRequest request, Action<CellOutput> onOutput,
        CancellationToken cancellationToken = default)
    {
        var kernel = _kernel;
        int executionCount = request.ExecutionCount;
        var interrupt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _interrupt = interrupt;
        }

        var shown = new HashSet<string>(StringComparer.Ordinal);
        var images = new List<Task>();
        var events = new List<KernelEvent>();
        bool live = true;
        var observer = new EventObserver(e =>
        {
            lock (events)
            {
                if (!live)
                {
                    return;
                }

                events.Add(e);
                foreach (var output in LiveOutputs(e, executionCount, shown))
                {
                    onOutput(output);
                    if (ChartOf(e) is { } chart && DisplayOf(output) is var (data, id))
                    {
                        var image = AttachImageAsync(chart, data, id, onOutput);
                        lock (images)
                        {
                            images.Add(image);
                        }
                    }
                }
            }
        });

        Task<KernelCommandResult> running;
        using var limit = new CancellationTokenSource();
        if (request.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        var stopped = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        using (kernel.KernelEvents.Subscribe(observer))
        {
            running = kernel.SendAsync(new SubmitCode(request.Code));
            var first = await Task.WhenAny(running, interrupt.Task, stopped);
            if (first != running)
            {
                // Outputs after the interrupt (and the probe's) are not the cell's.
                lock (events)
                {
                    live = false;
                }

                bool timedOut = first == stopped && limit.IsCancellationRequested;
                var outcome = await InterruptAsync(kernel, running, timedOut ? request.Timeout : null);
                onOutput(outcome.Error!);
                return outcome with { Settled = Settle(images) };
            }

            await running;
            lock (events)
            {
                live = false;
            }
        }

        lock (_gate)
        {
            _interrupt = null;
        }

        var result = await running;
        var all = result.Events.Count > 0 ? result.Events.ToList() : events;
        var error = KernelEventMapper.ErrorOf(all);
        if (error is not null)
        {
            onOutput(error);
            return new ExecutionOutcome(ExecutionStatus.Failed, error) { Settled = Settle(images) };
        }

        return ExecutionOutcome.Ok with { Settled = Settle(images) };
    }

    private static Task Settle(List<Task> images)
    {
        lock (images)
        {
            return images.Count == 0 ? Task.CompletedTask : Task.WhenAll(images.ToArray());
        }
    }

    /// <summary>Draws a shown chart's PNG and reports the display again with the image added. A chart that gets
    /// no image (no chromium, a drawing error) keeps its HTML; that is never the cell's failure.</summary>
    private async Task AttachImageAsync(Plotly.NET.GenericChart chart, IReadOnlyDictionary<string, string> data,
        string displayId, Action<CellOutput> onOutput)
    {
        await Task.Yield(); // off the kernel's event thread: the cell goes on while chromium draws
        string? png;
        try
        {
            png = await ChartImages.RenderPngAsync(_figures.Write(chart));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        if (png is not null)
        {
            LatencyTrace.Mark("chart png: drawn");
            onOutput(new DisplayUpdateOutput(new Dictionary<string, string>(data, StringComparer.Ordinal)
            {
                ["image/png"] = png,
            }, displayId));
        }
    }

    private static Plotly.NET.GenericChart? ChartOf(KernelEvent e) =>
        (e as DisplayEvent)?.Value as Plotly.NET.GenericChart;

    private static (IReadOnlyDictionary<string, string> Data, string Id)? DisplayOf(CellOutput output) => output switch
    {
        DisplayOutput { DisplayId: { } id } d => (d.Data, id),
        DisplayUpdateOutput u => (u.Data, u.DisplayId),
        _ => null,
    };

    /// <summary>Interrupts the running cell, if any. Returns at once; the cell's execution reports how it
    /// ended.</summary>
    public void Interrupt()
    {
        lock (_gate)
        {
            _interrupt?.TrySetResult();
        }
    }

    /// <summary>Replaces the kernel with a fresh one (all variables are lost) and starts a new chart
    /// session.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        var fresh = await _factory(cancellationToken);
        var old = Interlocked.Exchange(ref _kernel, fresh);
        DisposeInBackground(old);
    }

    /// <summary>Completions at <paramref name="cursor"/> (a character offset) from the C# kernel.</summary>
    public async Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken = default)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var result = await _kernel.SendAsync(new RequestCompletions(code, ToLinePosition(code, cursor), "csharp"), cancellationToken);
        var produced = result.Events.OfType<CompletionsProduced>().FirstOrDefault();
        if (produced is null)
        {
            return new CompletionResult([], cursor, cursor);
        }

        var matches = produced.Completions
            .OrderBy(c => c.SortText ?? c.DisplayText, StringComparer.Ordinal)
            .Select(c => SnippetPlaceholder().Replace(c.InsertText ?? c.DisplayText, ""))
            .Where(s => !string.IsNullOrEmpty(s))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        int start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_'))
        {
            start--;
        }

        if (produced.LinePositionSpan is { } span && span.Start != span.End)
        {
            start = ToOffset(code, span.Start);
        }

        return new CompletionResult(matches, start, cursor);
    }

    /// <summary>Documentation of the symbol at <paramref name="cursor"/> (MIME type to content), or null.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> InspectAsync(string code, int cursor,
        CancellationToken cancellationToken = default)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var result = await _kernel.SendAsync(new RequestHoverText(code, ToLinePosition(code, cursor), "csharp"), cancellationToken);
        var hover = result.Events.OfType<HoverTextProduced>().FirstOrDefault();
        if (hover is null || hover.Content.Count == 0)
        {
            return null;
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in hover.Content)
        {
            data[value.MimeType] = value.Value;
        }

        if (!data.ContainsKey(PlainTextFormatter.MimeType))
        {
            data[PlainTextFormatter.MimeType] = hover.Content.First().Value;
        }

        return data;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _kernel.Dispose();
        await ChartImages.DisposeAsync();
    }

    private async Task<ExecutionOutcome> InterruptAsync(CompositeKernel kernel, Task<KernelCommandResult> running,
        TimeSpan? timedOutAfter)
    {
        try
        {
            await kernel.SendAsync(new Cancel()).WaitAsync(InterruptGrace);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // The cancel command itself did not get through; the grace period below decides.
        }

        // .NET Interactive completes a cancelled command even when the code goes on running on the kernel's
        // scheduler, so the kernel only counts as stopped when it then runs a trivial command.
        var stopped = await Task.WhenAny(running, Task.Delay(InterruptGrace)) == running &&
                      await RespondsAsync(kernel) &&
                      (ReplaceBlockedKernel || !await ProcessIsSpinningAsync());
        lock (_gate)
        {
            _interrupt = null;
        }

        var status = timedOutAfter is null ? ExecutionStatus.Interrupted : ExecutionStatus.TimedOut;
        if (stopped)
        {
            return new ExecutionOutcome(status, timedOutAfter is { } t
                ? Errors.Timeout(t, "The kernel keeps its variables.")
                : new ErrorOutput("KeyboardInterrupt", "the execution was interrupted",
                [
                    "KeyboardInterrupt: the execution was interrupted",
                    "The kernel keeps its variables. C# code cannot be stopped from outside: if the cell goes on in the " +
                    "background (a loop, an await), restart the kernel to stop it.",
                ]));
        }

        // The kernel is blocked by code that does not observe cancellation (a tight loop): give the editor a
        // fresh kernel.
        if (ReplaceBlockedKernel)
        {
            await ResetAsync();
        }

        string why = $"The cell did not stop within {InterruptGrace.TotalSeconds:0.#} s, so a fresh C# kernel was " +
                     "started: variables and loaded packages are gone; rerun the cells you need.";
        return new ExecutionOutcome(status, timedOutAfter is { } limit
                ? Errors.Timeout(limit, why)
                : new ErrorOutput("KeyboardInterrupt", "the kernel was reset",
                [
                    "KeyboardInterrupt: the kernel was reset",
                    why,
                    "The abandoned code keeps running in the background until you restart the kernel.",
                ]),
            KernelWasReset: true);
    }

    /// <summary>True when one thread of this process burns most of a core in each of four half-second windows while
    /// no cell runs: detached code (a loop) is still going. Work done on its own after start-up (tiered JIT
    /// compilation, a collection, the charts' warm-up) comes in bursts that end, so one busy window, or a busy
    /// process, is not enough. Only a worker process asks, where stopping it means restarting the process.</summary>
    private static async Task<bool> ProcessIsSpinningAsync()
    {
        var busy = await BusyThreadsAsync();
        for (int window = 1; window < 4 && busy.Count > 0; window++)
        {
            busy.IntersectWith(await BusyThreadsAsync());
        }

        return busy.Count > 0;
    }

    /// <summary>The ids of this process's threads that used more than 60 % of a core over the next half second.</summary>
    private static async Task<HashSet<int>> BusyThreadsAsync()
    {
        static Dictionary<int, TimeSpan> Sample()
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            var times = new Dictionary<int, TimeSpan>();
            foreach (System.Diagnostics.ProcessThread thread in self.Threads)
            {
                try
                {
                    times[thread.Id] = thread.TotalProcessorTime;
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // the thread ended while it was read
                }
            }

            return times;
        }

        var before = Sample();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(500);
        var after = Sample();
        double window = clock.Elapsed.TotalMilliseconds;
        return after.Where(t => before.TryGetValue(t.Key, out var b) && (t.Value - b).TotalMilliseconds > 0.6 * window)
            .Select(t => t.Key).ToHashSet();
    }

    private async Task<bool> RespondsAsync(CompositeKernel kernel)
    {
        var probe = kernel.SendAsync(new SubmitCode("0"));
        return await Task.WhenAny(probe, Task.Delay(InterruptGrace)) == probe &&
               !probe.Result.Events.OfType<CommandFailed>().Any();
    }

    private static IEnumerable<CellOutput> LiveOutputs(KernelEvent e, int executionCount, HashSet<string> shown)
    {
        switch (e)
        {
            case ReturnValueProduced or DisplayedValueProduced when ChartOf(e) is not null:
                // A chart is a display with an id, also as the cell's value, so its image can follow as an update.
                var chart = (DisplayEvent)e;
                string chartId = chart.ValueId ?? "workbook-chart-" + Guid.NewGuid().ToString("N");
                shown.Add(chartId);
                return [new DisplayOutput(KernelEventMapper.Bundle(chart), chartId)];
            case StandardOutputValueProduced or StandardErrorValueProduced or ReturnValueProduced:
                return KernelEventMapper.ToOutputs([e], executionCount);
            case DisplayedValueUpdated du when du.ValueId is { } id && shown.Contains(id):
                return [new DisplayUpdateOutput(KernelEventMapper.Bundle(du), id)];
            case DisplayedValueProduced dp:
                var outputs = KernelEventMapper.ToOutputs([dp], executionCount);
                foreach (var o in outputs.OfType<DisplayOutput>())
                {
                    if (o.DisplayId is { } displayId)
                    {
                        shown.Add(displayId);
                    }
                }

                return outputs;
            default:
                return [];
        }
    }

    private static void DisposeInBackground(CompositeKernel kernel) =>
        _ = Task.Run(() =>
        {
            try
            {
                kernel.Dispose();
            }
            catch (Exception)
            {
                // A kernel abandoned mid-execution may not dispose cleanly; it is unreachable either way.
            }
        });

    internal static LinePosition ToLinePosition(string code, int offset)
    {
        int line = 0, lineStart = 0;
        for (int i = 0; i < offset && i < code.Length; i++)
        {
            if (code[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new LinePosition(line, offset - lineStart);
    }

    internal static int ToOffset(string code, LinePosition position)
    {
        int line = 0, i = 0;
        while (line < position.Line && i < code.Length)
        {
            if (code[i++] == '\n')
            {
                line++;
            }
        }

        return Math.Min(code.Length, i + position.Character);
    }

    /// <summary>LSP snippet parts (<c>($1)</c>, <c>$0</c>, <c>${1:x}</c>), which Jupyter clients would insert
    /// literally.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\(\$\d+\)|\$\{\d+(:[^}]*)?\}|\$\d+")]
    private static partial System.Text.RegularExpressions.Regex SnippetPlaceholder();

    private sealed class EventObserver(Action<KernelEvent> onNext) : IObserver<KernelEvent>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(KernelEvent value) => onNext(value);
    }
}

/// <summary>C# script syntax questions the Jupyter kernel asks without running anything.</summary>
internal static class CSharpSubmission
{
    /// <summary>Whether <paramref name="code"/> is a complete C# submission: <c>complete</c>,
    /// <c>incomplete</c> (an editor should ask for more lines) or <c>invalid</c>.</summary>
    public static string IsComplete(string code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "complete";
        }

        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script));
        if (SyntaxFactory.IsCompleteSubmission(tree))
        {
            return "complete";
        }

        // Unbalanced braces or an unfinished statement: more lines are expected.
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? "incomplete" : "complete";
    }

}
