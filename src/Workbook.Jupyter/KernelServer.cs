using System.Reflection;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.DotNet.Interactive;
using NetMQ;
using NetMQ.Sockets;
using Workbook.Host;
using Workbook.Host.Execution;

namespace Workbook.Jupyter;

/// <summary>The workbook's host as a Jupyter kernel: binds the shell, iopub, stdin, control and heartbeat sockets
/// of a connection file and serves the Jupyter messaging protocol 5.3: a thin adapter from the wire protocol to an <see cref="ICellExecutor"/>
/// (the same executor <c>run</c>, <c>check</c> and <c>grade</c> use).</summary>
/// <remarks>One thread (a NetMQ poller) owns every socket: it receives, answers heartbeats, and sends whatever the
/// handlers queue. Shell requests are handled one at a time in arrival order; control requests (interrupt,
/// shutdown) are handled at once, even while a cell runs.</remarks>
public sealed class KernelServer : IDisposable
{
    private readonly ConnectionInfo _connection;
    private readonly MessageSigner _signer;
    private readonly Func<CancellationToken, Task<ICellExecutor>> _hostFactory;
    private readonly TextWriter _log;
    private readonly string _session = Guid.NewGuid().ToString("N");
    private readonly Channel<JupyterMessage> _shellRequests = Channel.CreateUnbounded<JupyterMessage>();
    private readonly NetMQQueue<(NetMQSocket Socket, List<byte[]> Frames)> _outgoing = new();
    private readonly CancellationTokenSource _stop = new();
    private RouterSocket? _shell;
    private RouterSocket? _control;
    private RouterSocket? _stdin;
    private PublisherSocket? _iopub;
    private ResponseSocket? _heartbeat;
    private NetMQPoller? _poller;
    private ICellExecutor? _execution;
    private Task<ICellExecutor>? _starting;
    private int _executionCount;
    private int _abortBacklog;
    private DateTimeOffset? _failedAt;

    /// <summary>Creates a server for <paramref name="connection"/>; code runs in the executor from
    /// <paramref name="hostFactory"/> (default: an <see cref="InProcessExecutor"/> in this process).</summary>
    public KernelServer(ConnectionInfo connection,
        Func<CancellationToken, Task<ICellExecutor>>? hostFactory = null, TextWriter? log = null)
    {
        _connection = connection;
        _signer = new MessageSigner(connection.Key, connection.SignatureScheme);
        _hostFactory = hostFactory ?? (async ct => await InProcessExecutor.StartAsync(null, ct, chartImagesInBackground: true));
        _log = log ?? TextWriter.Null;
    }

    /// <summary>The language_info of kernel_info_reply, also what saved notebooks carry.</summary>
    public static JsonObject LanguageInfo => new()
    {
        ["name"] = "C#",
        ["version"] = "14.0",
        ["mimetype"] = "text/x-csharp",
        ["file_extension"] = ".cs",
        ["pygments_lexer"] = "csharp",
        ["codemirror_mode"] = "text/x-csharp",
    };

    /// <summary>Binds the sockets, starts the C# kernel and serves requests until a shutdown_request arrives or
    /// <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = linked.Token;
        // The executor (a worker process and its C# kernel) starts first, and the sockets are bound and answer
        // kernel_info while it does: a client's handshake overlaps the worker's start, and only code waits for it.
        _starting = StartExecutionAsync(token);

        _shell = new RouterSocket();
        _control = new RouterSocket();
        _stdin = new RouterSocket();
        _iopub = new PublisherSocket();
        _heartbeat = new ResponseSocket();
        _shell.Bind(_connection.Endpoint(_connection.ShellPort));
        _control.Bind(_connection.Endpoint(_connection.ControlPort));
        _stdin.Bind(_connection.Endpoint(_connection.StdinPort));
        _iopub.Bind(_connection.Endpoint(_connection.IopubPort));
        _heartbeat.Bind(_connection.Endpoint(_connection.HeartbeatPort));

        _shell.ReceiveReady += (_, e) => Receive(e.Socket, m => _shellRequests.Writer.TryWrite(m));
        _control.ReceiveReady += (_, e) => Receive(e.Socket, m => _ = Task.Run(() => HandleControlAsync(m)));
        _stdin.ReceiveReady += (_, e) => e.Socket.ReceiveMultipartBytes();
        _heartbeat.ReceiveReady += (_, e) => e.Socket.SendMultipartBytes(e.Socket.ReceiveMultipartBytes());
        _outgoing.ReceiveReady += (_, _) =>
        {
            while (_outgoing.TryDequeue(out var item, TimeSpan.Zero))
            {
                item.Socket.SendMultipartBytes(item.Frames);
            }
        };
        _poller = [_shell, _control, _stdin, _heartbeat, _outgoing];
        _poller.RunAsync("workbook-kernel-sockets");

        LatencyTrace.Mark("kernel: sockets bound");
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        _log.WriteLine($"workbook kernel: listening on {_connection.Endpoint(_connection.ShellPort)}");

        try
        {
            await foreach (var request in _shellRequests.Reader.ReadAllAsync(token))
            {
                LatencyTrace.Mark("kernel: handling " + request.MsgType);
                Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
                try
                {
                    bool queuedBehindFailure = _abortBacklog > 0 || SentBefore(request, _failedAt);
                    _abortBacklog = Math.Max(0, _abortBacklog - 1);
                    if (queuedBehindFailure && request.MsgType == "execute_request")
                    {
                        Abort(request);
                    }
                    else
                    {
                        if (request.MsgType == "execute_request")
                        {
                            _failedAt = null; // sent after the failure: the backlog is over
                        }

                        await HandleShellAsync(request);
                    }
                }
                catch (Exception e)
                {
                    _log.WriteLine($"workbook kernel: {request.MsgType} failed: {e}");
                }
                finally
                {
                    Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // shutdown
        }

        // Let the poller flush the last replies before the sockets close.
        await Task.Delay(200, CancellationToken.None);
        if (_starting is { IsFaulted: true } failed && !cancellationToken.IsCancellationRequested)
        {
            await failed; // the executor could not start: the caller reports why
        }
    }

    private async Task<ICellExecutor> StartExecutionAsync(CancellationToken token)
    {
        try
        {
            var execution = await _hostFactory(token);
            _execution = execution;
            LatencyTrace.Mark("kernel: executor ready");
            return execution;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.WriteLine("workbook kernel: the executor did not start: " + e.Message);
            _stop.Cancel();
            throw;
        }
    }

    /// <summary>The executor, once it has started.</summary>
    private Task<ICellExecutor> Execution =>
        _starting ?? throw new InvalidOperationException("the kernel server is not running");

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _poller?.Stop();
        _poller?.Dispose();
        _shell?.Dispose();
        _control?.Dispose();
        _stdin?.Dispose();
        _iopub?.Dispose();
        _heartbeat?.Dispose();
        _outgoing.Dispose();
        if (_starting is not null)
        {
            // A worker is killed at once (also one still starting); an in-process kernel may hang on code that never
            // returns.
            var dispose = Task.Run(async () =>
            {
                var execution = await _starting.ConfigureAwait(false);
                await execution.DisposeAsync();
            });
            dispose.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(2));
        }

        _stop.Dispose();
    }

    private void Receive(NetMQSocket socket, Action<JupyterMessage> handle)
    {
        List<byte[]> frames;
        try
        {
            frames = socket.ReceiveMultipartBytes();
        }
        catch (TerminatingException)
        {
            return; // shutting down
        }

        try
        {
            handle(WireFormat.Decode(frames, _signer));
        }
        catch (InvalidMessageException e)
        {
            _log.WriteLine($"workbook kernel: dropped a message: {e.Message}");
        }
    }

    private async Task HandleShellAsync(JupyterMessage request)
    {
        switch (request.MsgType)
        {
            case "kernel_info_request":
                Reply(_shell!, request, "kernel_info_reply", KernelInfo());
                break;
            case "execute_request":
                await ExecuteAsync(request);
                break;
            case "is_complete_request":
                string status = CSharpSubmission.IsComplete(request.Content["code"]?.GetValue<string>() ?? "");
                var isComplete = new JsonObject { ["status"] = status };
                if (status == "incomplete")
                {
                    isComplete["indent"] = "    ";
                }

                Reply(_shell!, request, "is_complete_reply", isComplete);
                break;
            case "complete_request":
                await CompleteAsync(request);
                break;
            case "inspect_request":
                await InspectAsync(request);
                break;
            case "comm_info_request":
                Reply(_shell!, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "history_request":
                Reply(_shell!, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                break;
            case "shutdown_request":
                Shutdown(_shell!, request);
                break;
            case "comm_open" or "comm_msg" or "comm_close":
                break; // no comm targets: ignored, as the protocol allows
            default:
                _log.WriteLine($"workbook kernel: unsupported shell message {request.MsgType}");
                break;
        }
    }

    private async Task HandleControlAsync(JupyterMessage request)
    {
        try
        {
            switch (request.MsgType)
            {
                case "interrupt_request":
                    _execution?.Interrupt();
                    Reply(_control!, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    Shutdown(_control!, request);
                    break;
                case "kernel_info_request":
                    Reply(_control!, request, "kernel_info_reply", KernelInfo());
                    break;
                default:
                    _log.WriteLine($"workbook kernel: unsupported control message {request.MsgType}");
                    break;
            }
        }
        catch (Exception e)
        {
            _log.WriteLine($"workbook kernel: {request.MsgType} failed: {e}");
        }

        await Task.CompletedTask;
    }

    private async Task ExecuteAsync(JupyterMessage request)
    {
        var c = request.Content;
        string code = c["code"]?.GetValue<string>() ?? "";
        bool silent = c["silent"]?.GetValue<bool>() ?? false;
        bool storeHistory = c["store_history"]?.GetValue<bool>() ?? !silent;
        if (!silent && storeHistory)
        {
            _executionCount++;
        }

        int count = _executionCount;
        if (!silent)
        {
            Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
        }

        ExecutionOutcome outcome;
        if (string.IsNullOrWhiteSpace(code))
        {
            outcome = ExecutionOutcome.Ok;
        }
        else
        {
            try
            {
                var execution = await Execution;
                outcome = await execution.ExecuteAsync(new CellRequest(code, count), output =>
                {
                    if (!silent)
                    {
                        var (type, content) = OutputCodec.ToIopub(output, count);
                        Publish(type, content, request);
                    }
                });
            }
            catch (WorkerStartException e)
            {
                // A fresh worker after a reset could not start: say so in the cell; the next cell tries again.
                _log.WriteLine("workbook kernel: " + e.Message);
                var died = new ErrorOutput("KernelDied", "the kernel's worker process could not start", e.Message.Split('\n'));
                var (type, content) = OutputCodec.ToIopub(died, count);
                Publish(type, content, request);
                outcome = new ExecutionOutcome(ExecutionStatus.WorkerDied, died, KernelWasReset: true);
            }
        }

        var reply = new JsonObject { ["execution_count"] = count };
        if (outcome.Error is { } error)
        {
            // As ipykernel: with stop_on_error (the default) the execute requests already queued behind this one
            // (a "Run All") are aborted rather than run against a half-initialised notebook.
            // The requests of a "Run All" may still be on their way: those the client sent before this failure
            // (by their header's date) are aborted too, not only those already received.
            bool stopOnError = c["stop_on_error"]?.GetValue<bool>() ?? true;
            _abortBacklog = stopOnError ? _shellRequests.Reader.Count : 0;
            _failedAt = stopOnError ? DateTimeOffset.UtcNow : null;
            reply["status"] = "error";
            reply["ename"] = error.Name;
            reply["evalue"] = error.Message;
            reply["traceback"] = OutputCodec.Traceback(error);
        }
        else
        {
            reply["status"] = "ok";
            reply["user_expressions"] = new JsonObject();
            reply["payload"] = new JsonArray();
        }

        Reply(_shell!, request, "execute_reply", reply,
            new JsonObject { ["status"] = reply["status"]!.GetValue<string>() });
    }

    /// <summary>True when <paramref name="request"/>'s header says it was sent before <paramref name="time"/>.</summary>
    internal static bool SentBefore(JupyterMessage request, DateTimeOffset? time) =>
        time is { } t &&
        request.Header["date"] is JsonValue date && date.TryGetValue(out string? text) &&
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var sent) &&
        sent < t;

    /// <summary>Answers an execute request queued behind a failed cell without running it.</summary>
    private void Abort(JupyterMessage request)
    {
        Reply(_shell!, request, "execute_reply",
            new JsonObject { ["status"] = "aborted", ["execution_count"] = null },
            new JsonObject { ["status"] = "aborted" });
    }

    private async Task CompleteAsync(JupyterMessage request)
    {
        string code = request.Content["code"]?.GetValue<string>() ?? "";
        int cursor = Utf16Offset(code, request.Content["cursor_pos"]?.GetValue<int>());
        CompletionResult result;
        try
        {
            result = await (await Execution).CompleteAsync(code, cursor);
        }
        catch (Exception e)
        {
            _log.WriteLine($"workbook kernel: completion failed: {e.Message}");
            result = new CompletionResult([], cursor, cursor);
        }

        Reply(_shell!, request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(result.Matches.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
            ["cursor_start"] = CodePointOffset(code, result.CursorStart),
            ["cursor_end"] = CodePointOffset(code, result.CursorEnd),
            ["metadata"] = new JsonObject(),
        });
    }

    private async Task InspectAsync(JupyterMessage request)
    {
        string code = request.Content["code"]?.GetValue<string>() ?? "";
        int cursor = Utf16Offset(code, request.Content["cursor_pos"]?.GetValue<int>());
        IReadOnlyDictionary<string, string>? data = null;
        try
        {
            data = await (await Execution).InspectAsync(code, cursor);
        }
        catch (Exception e)
        {
            _log.WriteLine($"workbook kernel: inspection failed: {e.Message}");
        }

        Reply(_shell!, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = data is not null,
            ["data"] = data is null ? new JsonObject() : OutputCodec.ToMessageBundle(data),
            ["metadata"] = new JsonObject(),
        });
    }

    /// <summary>Replies and stops. With <c>restart: true</c> the kernel manager that started this process starts a
    /// fresh one (as with ipykernel), so the process exits either way.</summary>
    private void Shutdown(NetMQSocket socket, JupyterMessage request)
    {
        bool restart = request.Content["restart"]?.GetValue<bool>() ?? false;
        _execution?.Interrupt();
        Reply(socket, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
        _shellRequests.Writer.TryComplete();
        _stop.Cancel();
    }

    /// <summary>Jupyter counts cursor positions in Unicode code points (protocol 5.2+); .NET strings in UTF-16
    /// code units. Null means the end of the code.</summary>
    internal static int Utf16Offset(string code, int? codePoints)
    {
        if (codePoints is not { } n)
        {
            return code.Length;
        }

        int i = 0;
        for (int k = 0; k < n && i < code.Length; k++)
        {
            i += char.IsHighSurrogate(code[i]) && i + 1 < code.Length && char.IsLowSurrogate(code[i + 1]) ? 2 : 1;
        }

        return i;
    }

    /// <summary>The code-point position of a UTF-16 offset (see <see cref="Utf16Offset"/>).</summary>
    internal static int CodePointOffset(string code, int utf16)
    {
        int points = 0;
        for (int i = 0; i < utf16 && i < code.Length; i++)
        {
            if (!(char.IsLowSurrogate(code[i]) && i > 0 && char.IsHighSurrogate(code[i - 1])))
            {
                points++;
            }
        }

        return points;
    }

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "workbook",
        ["implementation_version"] =
            typeof(KernelServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "1.0.0",
        ["language_info"] = LanguageInfo,
        ["banner"] = "C# (Workbook): the workbook's notebook host — the workbook library, Plotly.NET and #r \"nuget: ...\".",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    private void Reply(NetMQSocket socket, JupyterMessage request, string msgType, JsonObject content,
        JsonObject? metadata = null) =>
        Send(socket, JupyterMessage.Create(msgType, content, request, _session, metadata: metadata));

    private void Publish(string msgType, JsonObject content, JupyterMessage? parent)
    {
        var message = JupyterMessage.Create(msgType, content, parent, _session, routeToParent: false);
        var topic = new[] { System.Text.Encoding.UTF8.GetBytes("kernel." + _session + "." + msgType) };
        Send(_iopub!, new JupyterMessage(topic, message.Header, message.ParentHeader, message.Metadata, message.Content));
    }

    private void Send(NetMQSocket socket, JupyterMessage message)
    {
        try
        {
            if (LatencyTrace.Enabled && !ReferenceEquals(socket, _iopub))
            {
                LatencyTrace.Mark("kernel: sending " + message.MsgType);
            }

            _outgoing.Enqueue((socket, WireFormat.Encode(message, _signer)));
        }
        catch (ObjectDisposedException)
        {
            // shutting down
        }
    }
}
