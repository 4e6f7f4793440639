using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Workbook.Host.Execution;

namespace Workbook.Cli;

/// <summary>The hidden <c>worker</c> verb: one kernel serving a <c>WorkerExecutor</c> (of <c>run</c>, <c>check</c>,
/// <c>grade</c> or the Jupyter kernel) over standard input and output (see <see cref="WorkerServer"/>).</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var command = new Command("worker",
            "Internal: run one kernel for a parent workbook process (JSON lines on standard input and output).")
        {
            Hidden = true,
        };
        command.SetAction(async (ParseResult _, CancellationToken _) =>
        {
            Workbook.Host.Execution.LatencyTrace.Mark("worker: main");
            var (requests, replies) = TakeProtocolChannel();
            int code = 0;
            try
            {
                await WorkerServer.RunAsync(requests, replies);
            }
            catch (Exception e)
            {
                // The parent reports this (with these lines) as a worker that could not start.
                await Console.Error.WriteLineAsync("workbook worker: the kernel failed: " + e);
                code = 3;
            }

            // The parent is gone or done. Do not wait for code that may never return, nor for exit handlers that
            // hang (a kernel that cannot dispose).
            _ = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
                Process.GetCurrentProcess().Kill();
            });
            Environment.Exit(code);
            return code;
        });
        return command;
    }

    /// <summary>Keeps private handles to the real standard input and output for the protocol, and leaves cell code
    /// a console that cannot reach them: <see cref="Console.Out"/> (and, on Linux, file descriptor 1) goes to
    /// standard error, <see cref="Console.In"/> (and descriptor 0) reads nothing. The private copies are not
    /// inherited by processes a cell starts.</summary>
    private static (TextReader Requests, TextWriter Replies) TakeProtocolChannel()
    {
        Stream input, output;
        if (OperatingSystem.IsLinux())
        {
            int inFd = Fcntl(0, FDupFdCloexec, 3);
            int outFd = Fcntl(1, FDupFdCloexec, 3);
            using var devNull = File.OpenHandle("/dev/null");
            if (inFd < 0 || outFd < 0 || Dup2(2, 1) < 0 || Dup2((int)devNull.DangerousGetHandle(), 0) < 0)
            {
                throw new IOException($"cannot set up the worker's protocol channel (errno {Marshal.GetLastPInvokeError()})");
            }

            input = new FileStream(new SafeFileHandle(inFd, ownsHandle: true), FileAccess.Read, 1);
            output = new FileStream(new SafeFileHandle(outFd, ownsHandle: true), FileAccess.Write, 1);
        }
        else
        {
            input = Console.OpenStandardInput();
            output = Console.OpenStandardOutput();
        }

        Console.SetOut(Console.Error);
        Console.SetIn(TextReader.Null);
        return (new StreamReader(input, new UTF8Encoding(false)),
            new StreamWriter(output, new UTF8Encoding(false)) { AutoFlush = false });
    }

    /// <summary>Linux's F_DUPFD_CLOEXEC: duplicate a descriptor, closed on exec.</summary>
    private const int FDupFdCloexec = 1030;

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static extern int Dup2(int oldFd, int newFd);
}
