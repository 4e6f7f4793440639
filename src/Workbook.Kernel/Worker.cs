using System.Text;
using System.Text.Json.Nodes;

namespace Workbook.Kernel;

/// <summary>The worker process's side: runs an <see cref="ExecutionSession"/> and serves the kernel's requests
/// over stdin/stdout (see <see cref="WorkerExecutionHost"/>).</summary>
public static class Worker
{
    /// <summary>Serves requests until stdin closes. The real stdin and stdout carry the protocol; <see cref="Console.Out"/>
    /// is pointed at stderr and <see cref="Console.In"/> at nothing, so user code cannot corrupt or consume it.</summary>
    public static async Task RunAsync()
    {
        var protocol = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        Console.SetOut(Console.Error);
        var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        Console.SetIn(TextReader.Null); // stdin carries requests: Console.ReadLine in a cell must not take them
        var gate = new object();

        void Send(JsonObject message)
        {
            string line = message.ToJsonString();
            lock (gate)
            {
                protocol.WriteLine(line);
            }
        }

        var session = await ExecutionSession.StartAsync();
        session.ReplaceBlockedKernel = false; // the kernel kills this process instead
        Send(new JsonObject { ["ready"] = true });

        Task running = Task.CompletedTask;
        while (await input.ReadLineAsync() is { } line)
        {
            if (JsonNode.Parse(line) is not JsonObject request)
            {
                continue;
            }

            long id = request["id"]?.GetValue<long>() ?? 0;
            string code = request["code"]?.GetValue<string>() ?? "";
            int cursor = request["cursor"]?.GetValue<int>() ?? code.Length;
            switch (request["op"]?.GetValue<string>())
            {
                case "interrupt":
                    session.Interrupt();
                    break;
                case "execute":
                    int count = request["count"]?.GetValue<int>() ?? 0;
                    running = Task.Run(async () =>
                    {
                        var outcome = await session.ExecuteAsync(code, count,
                            o => Send(new JsonObject { ["id"] = id, ["output"] = WorkerProtocol.ToJson(o) }));
                        Send(new JsonObject
                        {
                            ["id"] = id,
                            ["done"] = new JsonObject
                            {
                                ["error"] = outcome.Error is null ? null : WorkerProtocol.ToJson(outcome.Error),
                                ["blocked"] = outcome.KernelWasReset,
                            },
                        });
                    });
                    break;
                case "complete":
                    var completion = await session.CompleteAsync(code, cursor);
                    Send(new JsonObject
                    {
                        ["id"] = id,
                        ["matches"] = new JsonArray(completion.Matches.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
                        ["start"] = completion.CursorStart,
                        ["end"] = completion.CursorEnd,
                    });
                    break;
                case "inspect":
                    var data = await session.InspectAsync(code, cursor);
                    Send(new JsonObject { ["id"] = id, ["data"] = data is null ? null : WorkerProtocol.Bundle(data) });
                    break;
            }
        }

        // stdin closed: the kernel is gone (or killed). Exit without waiting for code that may never return.
        await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1)));
        _ = Task.Run(async () =>
        {
            // If exit handlers hang (a kernel that cannot dispose), end the process the hard way.
            await Task.Delay(TimeSpan.FromSeconds(3));
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        });
        Environment.Exit(0);
    }
}
