using System.Text.Json;
using System.Text.Json.Nodes;
using Workbook.Host.Rendering;

namespace Workbook.Host.Execution;

/// <summary>The worker process's side of the <see cref="WorkerExecutor"/> protocol: one JSON object per line.</summary>
/// <remarks>
/// <para>Requests (executor to worker): <c>{"op":"execute","id":N,"code":"...","count":N}</c>,
/// <c>{"op":"complete"|"inspect","id":N,"code":"...","cursor":N}</c>, <c>{"op":"interrupt"}</c>,
/// <c>{"op":"shutdown"}</c>. Cells arrive one at a time: an execute request while a cell runs is refused.</para>
/// <para>Replies (worker to executor), in the order they happen: <c>{"ready":true}</c> once the kernel is up;
/// <c>{"id":N,"output":OUTPUT}</c> for each output of a cell (<see cref="OutputCodec.ToWire"/>), then
/// <c>{"id":N,"done":{"status":"ok"|"failed"|"interrupted","blocked":BOOL,"charts":{...}}}</c>. When the cell's
/// charts still have their images to come, <c>done</c> says <c>"settling":true</c> instead of <c>charts</c>: their
/// display updates (<c>{"id":N,"output":...}</c>) follow, possibly while the next cell runs, and then
/// <c>{"id":N,"settled":true,"charts":{...}}</c>;
/// <c>{"id":N,"matches":[...],"start":N,"end":N}</c>; <c>{"id":N,"data":BUNDLE|null}</c>;
/// <c>{"id":N,"refused":"why"}</c>.</para>
/// <para>The server only reads and writes the two text streams it is given; the program that hosts it (the CLI's
/// hidden <c>worker</c> verb) gives it private handles to the real standard input and output and points the
/// console elsewhere, so a cell's <c>Console.WriteLine</c> or <c>Console.ReadLine</c> never touches the
/// protocol.</para>
/// </remarks>
internal static class WorkerServer
{
    private static JsonObject? Charts(InProcessExecutor executor) =>
        executor.ChartImages.SkippedReason is { } reason
            ? new JsonObject { ["skipped"] = executor.ChartImages.SkippedCount, ["reason"] = reason }
            : null;

    /// <summary>Starts a kernel (<see cref="NotebookKernelFactory"/>), says <c>ready</c>, and serves requests from
    /// <paramref name="requests"/> until it closes or a shutdown request arrives. Returns without waiting for a cell
    /// that is still running: the caller ends the process.</summary>
    /// <exception cref="Exception">The kernel could not be started (propagated from
    /// <see cref="NotebookKernelFactory.CreateAsync"/>).</exception>
    public static async Task RunAsync(TextReader requests, TextWriter replies, CancellationToken cancellationToken = default)
    {
        var gate = new Lock();

        void Send(JsonObject message)
        {
            string line = message.ToJsonString(OutputCodec.WireJsonOptions);
            lock (gate)
            {
                replies.Write(line);
                replies.Write('\n');
                replies.Flush();
            }
        }

        // Not disposed: a cell may still run when the requests end, and the caller ends the process anyway.
        var executor = await InProcessExecutor.StartAsync(
            NotebookKernelFactory.CreateAsync, cancellationToken, replaceBlockedKernel: false,
            chartImagesInBackground: Environment.GetEnvironmentVariable(ChartImages.PriorityVariable) == "background");
        // Warm the compiler up before the first cell's clock starts: the first submission of a fresh kernel pays
        // for loading and JIT-compiling Roslyn, which on a busy machine alone can take seconds.
        await executor.ExecuteAsync(new CellRequest("0", 0), _ => { }, cancellationToken);
        LatencyTrace.Mark("worker: warm-up cell ran");
        Send(new JsonObject { ["ready"] = true });

        int busy = 0;
        while (await requests.ReadLineAsync(cancellationToken) is { } line)
        {
            JsonObject? request;
            try
            {
                request = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                request = null;
            }

            if (request is null)
            {
                Send(new JsonObject { ["id"] = 0, ["refused"] = "a request is not a JSON object" });
                continue;
            }

            long id;
            string code;
            int cursor;
            try
            {
                id = request["id"]?.GetValue<long>() ?? 0;
                code = request["code"]?.GetValue<string>() ?? "";
                cursor = request["cursor"]?.GetValue<int>() ?? code.Length;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                Send(new JsonObject { ["id"] = 0, ["refused"] = "a request has a mistyped field: " + e.Message });
                continue;
            }

            switch (request["op"]?.GetValue<string>())
            {
                case "interrupt":
                    executor.Interrupt();
                    break;
                case "shutdown":
                    return;
                case "execute":
                    if (Interlocked.CompareExchange(ref busy, 1, 0) != 0)
                    {
                        Send(new JsonObject { ["id"] = id, ["refused"] = "a cell is already running" });
                        break;
                    }

                    int count = request["count"]?.GetValue<int>() ?? 0;
                    LatencyTrace.Mark("worker: execute " + id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    _ = Task.Run(async () =>
                    {
                        var outcome = await executor.ExecuteAsync(new CellRequest(code, count), o =>
                        {
                            LatencyTrace.Mark("worker: output " + o.GetType().Name);
                            Send(new JsonObject { ["id"] = id, ["output"] = OutputCodec.ToWire(o) });
                        });
                        var done = new JsonObject
                        {
                            ["status"] = outcome.Status switch
                            {
                                ExecutionStatus.Ok => "ok",
                                ExecutionStatus.Interrupted => "interrupted",
                                _ => "failed",
                            },
                            ["blocked"] = outcome.KernelWasReset,
                        };
                        bool settling = !outcome.Settled.IsCompleted;
                        if (settling)
                        {
                            done["settling"] = true;
                        }
                        else if (Charts(executor) is { } charts)
                        {
                            done["charts"] = charts;
                        }

                        Volatile.Write(ref busy, 0); // before the reply: the next cell may follow it at once
                        LatencyTrace.Mark("worker: done " + id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        Send(new JsonObject { ["id"] = id, ["done"] = done });
                        if (settling)
                        {
                            // The chart images are drawn while the next cells run; their updates go out as they come.
                            await outcome.Settled;
                            var settled = new JsonObject { ["id"] = id, ["settled"] = true };
                            if (Charts(executor) is { } late)
                            {
                                settled["charts"] = late;
                            }

                            Send(settled);
                        }
                    }, CancellationToken.None);
                    break;
                case "complete":
                    var completion = await executor.CompleteAsync(code, cursor, cancellationToken);
                    Send(new JsonObject
                    {
                        ["id"] = id,
                        ["matches"] = new JsonArray(completion.Matches.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
                        ["start"] = completion.CursorStart,
                        ["end"] = completion.CursorEnd,
                    });
                    break;
                case "inspect":
                    var data = await executor.InspectAsync(code, cursor, cancellationToken);
                    Send(new JsonObject { ["id"] = id, ["data"] = data is null ? null : OutputCodec.ToWireBundle(data) });
                    break;
                case var op:
                    Send(new JsonObject { ["id"] = id, ["refused"] = $"unknown op '{op}'" });
                    break;
            }
        }
    }
}
