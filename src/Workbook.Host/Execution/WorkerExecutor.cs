using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbook.Host.Rendering;

namespace Workbook.Host.Execution;

/// <summary>How a <see cref="WorkerExecutor"/> starts and limits its worker processes.</summary>
public sealed record WorkerOptions
{
    /// <summary>The worker's current directory (relative paths in cells resolve against it); null for this
    /// process's current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>GC heap limit of the worker in bytes (<c>DOTNET_GCHeapHardLimit</c>); null for none. A cell that
    /// needs more fails with an <c>OutOfMemoryException</c>.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>How long a worker may take to start its kernel (default 2 minutes).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an interrupted cell may take to end before its worker is ended (default 10 s; the
    /// worker itself gives up on a blocked kernel after about 3 s).</summary>
    public TimeSpan InterruptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How the worker process is started; null for <see cref="WorkerLauncher.Default"/>.</summary>
    public WorkerLauncher? Launcher { get; init; }

    /// <summary>Whether the worker draws the charts' static images below its cells (an editor's kernel, where a
    /// reader's next cell should not wait for them); false (default) for runs that wait for every image.</summary>
    public bool ChartImagesInBackground { get; init; }

    /// <summary>More environment variables for the worker.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How many of the worker's last standard-error lines are kept for error reports (default 20).</summary>
    public int StderrLines { get; init; } = 20;

    /// <summary>Called with each line the worker writes to standard error (a log), or null.</summary>
    public Action<string>? OnStderrLine { get; init; }

    /// <summary>The longest message the worker may send on its protocol channel (default 64 MiB; one output of a
    /// cell is one message). A longer one ends the worker: the cell fails with an <c>OutputLimitError</c>.</summary>
    public int MaxMessageBytes { get; init; } = 64 << 20;

    /// <summary>How many bytes one cell may send on the protocol channel in all (its outputs as encoded), or null
    /// for no limit. A cell past it ends its worker and fails with an <c>OutputLimitError</c>, so an endless
    /// output flood is cut off instead of occupying the grader until the cell's time limit.</summary>
    public long? MaxCellBytes { get; init; }

    /// <summary>The longest standard-error line kept (default 4096 characters); the rest of a longer line is
    /// dropped.</summary>
    public int MaxStderrLineBytes { get; init; } = 4096;
}

/// <summary>Executes cells in a worker process (the CLI's hidden <c>workbook worker</c> verb, a
/// <see cref="WorkerServer"/> on the same <see cref="NotebookKernelFactory"/> as everywhere else), speaking JSON lines over
/// the worker's standard input and output; its standard error is captured and its last lines kept.</summary>
/// <remarks>
/// <para>Code that cannot be stopped from inside is stopped for real: a cell past its time limit, or one that ignores
/// an interrupt, ends the worker process (and everything it started). A worker that dies on its own
/// (<c>Environment.Exit</c>, a stack overflow) is reported as the error of the cell that was running, with its exit
/// code and last standard-error lines. Either way the next cell starts a fresh worker.</para>
/// <para>Each executor has its own worker with its own working directory, so notebooks run in parallel without
/// touching this process's current directory.</para>
/// </remarks>
public sealed class WorkerExecutor : ICellExecutor
{
    private readonly WorkerOptions _options;
    private readonly WorkerLauncher _launcher;
    private readonly SemaphoreSlim _cellGate = new(1, 1);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly Lock _gate = new();
    private WorkerProcess? _worker;
    private Pending? _running;
    private long _nextId;
    private bool _disposed;

    private WorkerExecutor(WorkerOptions options, WorkerLauncher launcher)
    {
        _options = options;
        _launcher = launcher;
    }

    /// <summary>Starts a worker and waits until its kernel is ready.</summary>
    /// <exception cref="WorkerStartException">The worker did not start, or died or timed out before its kernel was
    /// ready; the message has its exit code and last standard-error lines.</exception>
    public static async Task<WorkerExecutor> StartAsync(WorkerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new WorkerOptions();
        var executor = new WorkerExecutor(options, options.Launcher ?? WorkerLauncher.Default);
        await executor.EnsureWorkerAsync(cancellationToken);
        return executor;
    }

    /// <summary>The process id of the current worker, or null when none runs (after it was ended, until the next
    /// cell starts a fresh one).</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _worker?.Process.Id;
            }
        }
    }

    /// <summary>How many static chart images the workers could not draw (no chromium), and why; (0, null) when
    /// none were skipped.</summary>
    public (int Count, string? Reason) ChartImagesSkipped { get; private set; }

    /// <inheritdoc />
    public async Task<ExecutionOutcome> ExecuteAsync(CellRequest request, Action<CellOutput> onOutput,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _cellGate.WaitAsync(cancellationToken);
        try
        {
            var worker = await EnsureWorkerAsync(cancellationToken);
            var pending = worker.Register(Interlocked.Increment(ref _nextId), onOutput);
            lock (_gate)
            {
                _running = pending;
            }

            await worker.SendAsync(new JsonObject
            {
                ["op"] = "execute", ["id"] = pending.Id, ["code"] = request.Code, ["count"] = request.ExecutionCount,
            });

            var limit = request.Timeout is { } t ? Task.Delay(t, CancellationToken.None) : Task.Delay(Timeout.Infinite, CancellationToken.None);
            var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
            var first = await Task.WhenAny(pending.Done.Task, limit, cancelled);
            if (first == cancelled)
            {
                await EndWorkerAsync(worker);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (first == limit)
            {
                await EndWorkerAsync(worker);
                var timeout = Errors.Timeout(request.Timeout!.Value,
                    "Its worker process was ended, which stops the code; the next cell runs in a fresh kernel.");
                pending.Report(timeout);
                return new ExecutionOutcome(ExecutionStatus.TimedOut, timeout, KernelWasReset: true);
            }

            var done = await pending.Done.Task;
            try
            {
                return await OutcomeAsync(worker, pending, done);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                // A reply of the wrong shape: the worker (or code running in it) broke the protocol. The cell fails
                // and the worker is ended; nothing in such a reply is believed.
                await EndWorkerAsync(worker);
                var broken = Errors.ProtocolViolation(e.Message);
                pending.Report(broken);
                return new ExecutionOutcome(ExecutionStatus.Failed, broken, KernelWasReset: true);
            }
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
            }

            _cellGate.Release();
        }
    }

    private async Task<ExecutionOutcome> OutcomeAsync(WorkerProcess worker, Pending pending, JsonObject done)
    {
        {
            if (done["exited"] is { } exited)
            {
                int code = exited.GetValue<int>();
                var died = Errors.WorkerDied(code, worker.StderrTail());
                pending.Report(died);
                return new ExecutionOutcome(ExecutionStatus.WorkerDied, died, KernelWasReset: true) { ExitCode = code };
            }

            if (done["flooded"] is { } flooded)
            {
                var cut = Errors.OutputLimit(flooded.GetValue<string>());
                pending.Report(cut);
                return new ExecutionOutcome(ExecutionStatus.Failed, cut, KernelWasReset: true);
            }

            if (done["killed"] is not null)
            {
                // Ended by the interrupt watchdog: the cell ignored the interrupt.
                var reset = InterruptReset("Its worker process did not answer the interrupt, so it was ended.");
                pending.Report(reset);
                return new ExecutionOutcome(ExecutionStatus.Interrupted, reset, KernelWasReset: true);
            }

            if (done["refused"] is { } refused)
            {
                throw new InvalidOperationException("the worker refused the cell: " + refused.ToJsonString());
            }

            NoteCharts(done);

            bool blocked = done["blocked"]?.GetValue<bool>() ?? false;
            if (blocked)
            {
                // The cell ignored the interrupt and blocks the worker's kernel: stop it by ending the process.
                await EndWorkerAsync(worker);
            }

            var status = done["status"]?.GetValue<string>() switch
            {
                "ok" => ExecutionStatus.Ok,
                "interrupted" => ExecutionStatus.Interrupted,
                _ => ExecutionStatus.Failed,
            };
            return new ExecutionOutcome(status, status == ExecutionStatus.Ok ? null : pending.LastError, blocked)
            {
                Settled = pending.Settled.Task.ContinueWith(t => NoteCharts(t.Result), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default),
            };
        }
    }

    private void NoteCharts(JsonObject message)
    {
        if (message["charts"] is not JsonObject charts)
        {
            return;
        }

        try
        {
            ChartImagesSkipped = (charts["skipped"]?.GetValue<int>() ?? 0, charts["reason"]?.GetValue<string>());
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // a malformed note about chart images is not worth failing a cell for
        }
    }

    /// <inheritdoc />
    public void Interrupt()
    {
        WorkerProcess? worker;
        Pending? running;
        lock (_gate)
        {
            worker = _worker;
            running = _running;
        }

        if (worker is null || running is null)
        {
            return;
        }

        _ = worker.SendAsync(new JsonObject { ["op"] = "interrupt" });
        _ = Task.Run(async () =>
        {
            // A worker that does not end the cell in time (its kernel wedged) is ended.
            if (await Task.WhenAny(running.Done.Task, Task.Delay(_options.InterruptTimeout)) != running.Done.Task)
            {
                await EndWorkerAsync(worker);
            }
        });
    }

    /// <inheritdoc />
    public async Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(new JsonObject { ["op"] = "complete", ["code"] = code, ["cursor"] = cursor },
            cancellationToken);
        if (answer["matches"] is not JsonArray matches)
        {
            return new CompletionResult([], cursor, cursor);
        }

        return new CompletionResult(matches.Select(m => m?.GetValue<string>() ?? "").ToList(),
            answer["start"]?.GetValue<int>() ?? cursor, answer["end"]?.GetValue<int>() ?? cursor);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> InspectAsync(string code, int cursor,
        CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(new JsonObject { ["op"] = "inspect", ["code"] = code, ["cursor"] = cursor },
            cancellationToken);
        return answer["data"] is JsonObject data ? OutputCodec.WireBundle(data) : null;
    }

    /// <summary>Ends the worker process and everything it started, and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        WorkerProcess? worker;
        lock (_gate)
        {
            worker = _worker;
        }

        if (worker is not null)
        {
            await EndWorkerAsync(worker);
        }
    }

    private static ErrorOutput InterruptReset(string why) => new("KeyboardInterrupt", "the kernel was reset",
    [
        "KeyboardInterrupt: the kernel was reset",
        why + " The next cell runs in a fresh kernel: variables and loaded packages are gone; rerun the cells you need.",
    ]);

    private async Task<JsonObject> RequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var worker = await EnsureWorkerAsync(cancellationToken);
        var pending = worker.Register(Interlocked.Increment(ref _nextId), null);
        request["id"] = pending.Id;
        await worker.SendAsync(request);
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task EndWorkerAsync(WorkerProcess worker)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_worker, worker))
            {
                _worker = null;
            }
        }

        await worker.KillAsync();
    }

    private async Task<WorkerProcess> EnsureWorkerAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                if (_worker is { } current && !current.Exited)
                {
                    return current;
                }
            }

            var worker = await StartWorkerAsync(cancellationToken);
            lock (_gate)
            {
                _worker = worker;
            }

            return worker;
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task<WorkerProcess> StartWorkerAsync(CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(_options.Environment, StringComparer.Ordinal)
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        if (_options.ChartImagesInBackground)
        {
            environment[ChartImages.PriorityVariable] = "background";
        }
        if (_options.MemoryLimitBytes is { } bytes)
        {
            var (name, value) = WorkerLauncher.HeapLimit(bytes);
            environment[name] = value;
        }

        string directory = Path.GetFullPath(_options.WorkingDirectory ?? Directory.GetCurrentDirectory());
        var psi = _launcher.CreateStartInfo(new WorkerLaunch(directory, environment));
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new WorkerStartException($"the worker process ({psi.FileName}) did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            throw new WorkerStartException($"cannot start the worker process ({psi.FileName}): {e.Message}", null, e);
        }

        LatencyTrace.Mark("worker process started");
        var worker = new WorkerProcess(process, _options);
        worker.Start();
        try
        {
            await worker.Ready.Task.WaitAsync(_options.StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            await worker.KillAsync();
            throw new WorkerStartException(
                $"the worker process did not start its kernel within {Errors.Seconds(_options.StartTimeout)} s",
                worker.StderrTail());
        }
        catch (OperationCanceledException)
        {
            await worker.KillAsync();
            throw;
        }

        return worker;
    }

    /// <summary>A request waiting for its answer; for a cell, where its outputs go.</summary>
    private sealed class Pending(long id, Action<CellOutput>? onOutput)
    {
        public long Id { get; } = id;

        public TaskCompletionSource<JsonObject> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The message that ends the outputs that follow the cell (<c>settled</c>), or its <c>done</c>
        /// when none follow; an empty object when the worker went away.</summary>
        public TaskCompletionSource<JsonObject> Settled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ErrorOutput? LastError { get; private set; }

        public void Report(CellOutput output)
        {
            if (output is ErrorOutput error)
            {
                LastError = error;
            }

            onOutput?.Invoke(output);
        }
    }

    /// <summary>One worker process: the protocol reader, the captured standard error, the requests in flight.</summary>
    private sealed class WorkerProcess(Process process, WorkerOptions options)
    {
        private readonly Dictionary<long, Pending> _pending = [];
        private readonly Queue<string> _stderr = new();
        private readonly SemaphoreSlim _writeGate = new(1, 1);
        private Task _stderrDrained = Task.CompletedTask;
        private Task _exitHandled = Task.CompletedTask;
        private volatile bool _killed;
        private volatile string? _flooded;
        private long _cellBytes;
        private int _exitCode = -1;
        private int _framesInRow;
        private int _skippedFrames;

        public Process Process { get; } = process;

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Exited { get; private set; }

        public void Start()
        {
            _stderrDrained = Task.Run(ReadStderrAsync);
            _exitHandled = Task.Run(ReadProtocolAsync);
        }

        public Pending Register(long id, Action<CellOutput>? onOutput)
        {
            var pending = new Pending(id, onOutput);
            lock (_pending)
            {
                if (Exited)
                {
                    pending.Done.TrySetResult(new JsonObject { ["exited"] = _exitCode });
                    pending.Settled.TrySetResult([]);
                }
                else
                {
                    _pending[id] = pending;
                }
            }

            return pending;
        }

        /// <summary>The last lines of standard error; runs of stack frames (a stack overflow prints thousands)
        /// are cut to their first few, so the line that says what happened stays.</summary>
        public IReadOnlyList<string> StderrTail()
        {
            lock (_stderr)
            {
                var lines = _stderr.ToList();
                if (_skippedFrames > 0)
                {
                    lines.Add($"   ... {_skippedFrames.ToString(CultureInfo.InvariantCulture)} more stack frames");
                }

                return lines;
            }
        }

        private void Keep(string line)
        {
            const int framesKept = 5;
            lock (_stderr)
            {
                bool frame = line.TrimStart().StartsWith("at ", StringComparison.Ordinal);
                if (frame && _framesInRow >= framesKept)
                {
                    _skippedFrames++;
                    return;
                }

                if (!frame && _skippedFrames > 0)
                {
                    Enqueue($"   ... {_skippedFrames.ToString(CultureInfo.InvariantCulture)} more stack frames");
                    _skippedFrames = 0;
                }

                _framesInRow = frame ? _framesInRow + 1 : 0;
                Enqueue(line);
            }
        }

        private void Enqueue(string line)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > Math.Max(1, options.StderrLines))
            {
                _stderr.Dequeue();
            }
        }

        public async Task SendAsync(JsonObject message)
        {
            await _writeGate.WaitAsync();
            try
            {
                if (Exited)
                {
                    return; // the reader fails what waits
                }

                await Process.StandardInput.WriteAsync(message.ToJsonString(OutputCodec.WireJsonOptions) + "\n");
                await Process.StandardInput.FlushAsync();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The worker died; the reader reports it.
            }
            finally
            {
                _writeGate.Release();
            }
        }

        public async Task KillAsync()
        {
            _killed = true;
            try
            {
                Process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already gone
            }

            await _exitHandled.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        private async Task ReadStderrAsync()
        {
            try
            {
                var reader = new BoundedLineReader(Process.StandardError.BaseStream, Math.Max(80, options.MaxStderrLineBytes));
                while (await reader.ReadLineAsync() is var (text, tooLong))
                {
                    string line = tooLong ? text + " [... line cut]" : text;
                    Keep(line);

                    options.OnStderrLine?.Invoke(line);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // the process is gone
            }
        }

        private async Task ReadProtocolAsync()
        {
            try
            {
                var reader = new BoundedLineReader(Process.StandardOutput.BaseStream, Math.Max(1024, options.MaxMessageBytes));
                long atLastMessage = 0;
                while (await reader.ReadLineAsync(stopAtLimit: true) is var (line, tooLong))
                {
                    long size = reader.BytesRead - atLastMessage;
                    atLastMessage = reader.BytesRead;
                    if (tooLong)
                    {
                        Flood($"the cell sent a message larger than {Errors.Size(options.MaxMessageBytes)}");
                        break;
                    }

                    if (options.MaxCellBytes is { } max && Interlocked.Add(ref _cellBytes, size) > max)
                    {
                        Flood($"the cell's outputs exceeded {Errors.Size(max)}");
                        break;
                    }

                    try
                    {
                        Handle(line);
                    }
                    catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
                    {
                        // A message of the wrong shape (a value of the wrong type): ignored, and noted.
                        Note("a malformed message was ignored: " + e.Message);
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // the process is gone
            }

            await Process.WaitForExitAsync();
            await _stderrDrained;
            int code = SafeExitCode();
            CleanUpAfterExit();
            List<Pending> waiting;
            lock (_pending)
            {
                _exitCode = code;
                Exited = true;
                waiting = _pending.Values.ToList();
                _pending.Clear();
            }

            Ready.TrySetException(new WorkerStartException(
                $"the worker process exited (exit code {code.ToString(CultureInfo.InvariantCulture)}) before its kernel was ready",
                StderrTail()));
            foreach (var p in waiting)
            {
                p.Done.TrySetResult(_flooded is { } flood ? new JsonObject { ["flooded"] = flood }
                    : _killed ? new JsonObject { ["killed"] = true }
                    : new JsonObject { ["exited"] = code });
                p.Settled.TrySetResult([]);
            }

            Process.Dispose();
        }

        /// <summary>A killed worker cannot clean up its temporary folder: what it left there goes now. Its charts'
        /// chromium is gone by now (it wrote to the worker's standard error, which has closed), so its profile can
        /// go; and the .NET runtime's debugger pipes and diagnostics socket, named after the worker's process id.
        /// Never throws: what cannot go is left, as it would be without this.</summary>
        private void CleanUpAfterExit()
        {
            try
            {
                string temp = Process.StartInfo.Environment.TryGetValue("TMPDIR", out string? dir) && !string.IsNullOrEmpty(dir)
                    ? dir
                    : Path.GetTempPath();
                TempFolders.Sweep(temp, Rendering.ChartImages.ProfilePrefix);
                if (!OperatingSystem.IsWindows())
                {
                    string pid = Process.Id.ToString(CultureInfo.InvariantCulture);
                    foreach (string file in Directory.EnumerateFiles(temp, $"clr-debug-pipe-{pid}-*")
                                 .Concat(Directory.EnumerateFiles(temp, $"dotnet-diagnostic-{pid}-*")))
                    {
                        File.Delete(file);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Left behind.
            }
        }

        private void Handle(string line)
        {
            JsonObject? message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                message = null;
            }

            if (message is null)
            {
                Note("an unreadable line on the protocol channel was ignored");
                return;
            }

            if (message["ready"] is not null)
            {
                Ready.TrySetResult();
                return;
            }

            long id;
            try
            {
                id = message["id"]?.GetValue<long>() ?? 0;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                Note("a message with a mistyped id was ignored");
                return;
            }

            Pending? pending;
            lock (_pending)
            {
                _pending.TryGetValue(id, out pending);
            }

            if (pending is null)
            {
                if (message["refused"] is { } why)
                {
                    Note("the worker refused a request: " + why.ToJsonString());
                }

                return;
            }

            if (message["output"] is JsonObject output)
            {
                try
                {
                    pending.Report(OutputCodec.FromWire(output));
                }
                catch (FormatException e)
                {
                    Note("an unreadable output was ignored: " + e.Message);
                }

                return;
            }

            if (message["settled"] is not null)
            {
                lock (_pending)
                {
                    _pending.Remove(id);
                }

                pending.Settled.TrySetResult(message);
                return;
            }

            Interlocked.Exchange(ref _cellBytes, 0);
            var done = message["done"] as JsonObject ?? message;
            bool settling = done["settling"]?.GetValue<bool>() ?? false;
            if (!settling)
            {
                lock (_pending)
                {
                    _pending.Remove(id);
                }

                pending.Settled.TrySetResult(done);
            }

            pending.Done.TrySetResult(done);
        }

        /// <summary>Ends a worker that floods its protocol channel; what waits is told why.</summary>
        private void Flood(string why)
        {
            _flooded = why;
            Note(why + "; the worker was ended");
            try
            {
                Process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already gone
            }
        }

        private void Note(string text)
        {
            lock (_stderr)
            {
                Enqueue("[workbook] " + text);
            }
        }

        private int SafeExitCode()
        {
            try
            {
                return Process.HasExited ? Process.ExitCode : -1;
            }
            catch (InvalidOperationException)
            {
                return -1;
            }
        }
    }
}
