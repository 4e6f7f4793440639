using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Workbook.Host;

namespace Workbook.Kernel;

/// <summary>Runs the kernel's code in a worker process (<c>workbook kernel worker</c>, an
/// <see cref="ExecutionSession"/> on the same <see cref="WorkbookKernel"/> as <c>run</c>), so that code which
/// ignores an interrupt can be stopped for real: the worker is killed and a fresh one started.</summary>
/// <remarks>A worker that dies on its own (a stack overflow, <c>Environment.Exit</c>) is replaced the same way,
/// and the cell reports it.</remarks>
public sealed class WorkerExecutionHost : IExecutionHost
{
    private readonly IReadOnlyList<string> _command;
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private WorkerProcess? _worker;
    private long _nextId;

    private WorkerExecutionHost(IReadOnlyList<string> command)
    {
        _command = command;
    }

    /// <summary>How long a worker may take to start its kernel.</summary>
    public static TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Starts a worker with <paramref name="command"/> (program and arguments) and waits until its kernel
    /// is ready.</summary>
    public static async Task<WorkerExecutionHost> StartAsync(IReadOnlyList<string> command,
        CancellationToken cancellationToken = default)
    {
        var host = new WorkerExecutionHost(command);
        await host.StartWorkerAsync(cancellationToken);
        return host;
    }

    /// <inheritdoc />
    public async Task<ExecutionOutcome> ExecuteAsync(string code, int executionCount, Action<CellOutput> onOutput)
    {
        var (id, pending) = Register(onOutput);
        await SendAsync(new JsonObject { ["op"] = "execute", ["id"] = id, ["code"] = code, ["count"] = executionCount });
        var done = await pending.Done.Task;
        _pending.TryRemove(id, out _);
        if (done["exited"] is { } exited)
        {
            var error = new ErrorOutput("KernelDied", $"the kernel's worker process exited ({exited.GetValue<string>()})",
            [
                $"KernelDied: the kernel's worker process exited ({exited.GetValue<string>()})",
                "A fresh kernel was started: variables and loaded packages are gone; rerun the cells you need.",
            ]);
            onOutput(error);
            await RestartWorkerAsync();
            return new ExecutionOutcome(error, KernelWasReset: true);
        }

        var outcome = new ExecutionOutcome(WorkerProtocol.ErrorFromJson(done["error"]),
            done["blocked"]?.GetValue<bool>() ?? false);
        if (outcome.KernelWasReset)
        {
            // The cell ignored the interrupt and blocks the worker's kernel: stop it by stopping the process.
            await RestartWorkerAsync();
        }

        return outcome;
    }

    /// <inheritdoc />
    public void Interrupt() => _ = SendAsync(new JsonObject { ["op"] = "interrupt" });

    /// <inheritdoc />
    public async Task<CompletionResult> CompleteAsync(string code, int cursor)
    {
        var answer = await RequestAsync(new JsonObject { ["op"] = "complete", ["code"] = code, ["cursor"] = cursor });
        if (answer["exited"] is not null)
        {
            return new CompletionResult([], cursor, cursor);
        }

        return new CompletionResult(
            answer["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList(),
            answer["start"]!.GetValue<int>(), answer["end"]!.GetValue<int>());
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> InspectAsync(string code, int cursor)
    {
        var answer = await RequestAsync(new JsonObject { ["op"] = "inspect", ["code"] = code, ["cursor"] = cursor });
        return answer["data"] is JsonObject data ? WorkerProtocol.Bundle(data) : null;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _worker?.Kill();
        return ValueTask.CompletedTask;
    }

    private async Task<JsonObject> RequestAsync(JsonObject request)
    {
        var (id, pending) = Register(null);
        request["id"] = id;
        await SendAsync(request);
        var answer = await pending.Done.Task;
        _pending.TryRemove(id, out _);
        return answer;
    }

    private (long Id, Pending Pending) Register(Action<CellOutput>? onOutput)
    {
        long id = Interlocked.Increment(ref _nextId);
        var pending = new Pending(onOutput);
        _pending[id] = pending;
        return (id, pending);
    }

    private async Task SendAsync(JsonObject message)
    {
        await _writeGate.WaitAsync();
        try
        {
            var worker = _worker;
            if (worker is null || worker.Process.HasExited)
            {
                return; // the reader fails the pending requests
            }

            await worker.Process.StandardInput.WriteLineAsync(message.ToJsonString());
            await worker.Process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
            // the worker died; the reader reports it
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task RestartWorkerAsync()
    {
        _worker?.Kill();
        await StartWorkerAsync(CancellationToken.None);
    }

    private async Task StartWorkerAsync(CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(_command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (string arg in _command.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("the worker process did not start");
        var worker = new WorkerProcess(process);
        _worker = worker;
        _ = Task.Run(() => ReadAsync(worker));
        try
        {
            await worker.Ready.Task.WaitAsync(StartTimeout, cancellationToken);
        }
        catch (Exception)
        {
            worker.Kill();
            throw;
        }
    }

    private async Task ReadAsync(WorkerProcess worker)
    {
        var reader = worker.Process.StandardOutput;
        while (await reader.ReadLineAsync() is { } line)
        {
            JsonObject? message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                continue;
            }

            if (message is null)
            {
                continue;
            }

            if (message["ready"] is not null)
            {
                worker.Ready.TrySetResult();
                continue;
            }

            long id = message["id"]?.GetValue<long>() ?? 0;
            if (!_pending.TryGetValue(id, out var pending))
            {
                continue;
            }

            if (message["output"] is JsonObject output)
            {
                pending.OnOutput?.Invoke(WorkerProtocol.FromJson(output));
            }
            else if (message["done"] is JsonObject done)
            {
                pending.Done.TrySetResult(done);
            }
            else
            {
                pending.Done.TrySetResult(message);
            }
        }

        // The worker is gone: fail what waits on it, unless a newer worker has taken over.
        await worker.Process.WaitForExitAsync();
        string exit = "exit code " + worker.Process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        worker.Ready.TrySetException(new InvalidOperationException($"the worker process exited ({exit}) before its kernel was ready"));
        if (ReferenceEquals(_worker, worker) && !worker.Killed)
        {
            foreach (var p in _pending.Values)
            {
                p.Done.TrySetResult(new JsonObject { ["exited"] = exit });
            }
        }
    }

    private sealed class Pending(Action<CellOutput>? onOutput)
    {
        public Action<CellOutput>? OnOutput { get; } = onOutput;

        public TaskCompletionSource<JsonObject> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class WorkerProcess(Process process)
    {
        public Process Process { get; } = process;

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Killed { get; private set; }

        public void Kill()
        {
            Killed = true;
            try
            {
                Process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }
}
