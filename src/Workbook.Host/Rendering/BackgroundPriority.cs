using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Workbook.Host.Rendering;

/// <summary>Starts background work (the chromium that draws the charts' static images) at a low CPU priority, so that
/// it takes the CPU a reader's next cell leaves over instead of half of it.</summary>
/// <remarks>On Linux a nice value and a capability bounding set belong to each thread, and a process takes both from
/// the thread that starts it. <see cref="StartBelow{T}"/> starts the work from a thread of its own that first lowers
/// its priority and gives up the capability to raise one (CAP_SYS_NICE, which only root has): the process and every
/// process and thread it starts are born below, and stay there even when run as root, where chromium would otherwise
/// set each new thread back to the default priority. Lowering a priority needs no privilege. Elsewhere the work just
/// starts.</remarks>
internal static class BackgroundPriority
{
    /// <summary>The nice value background work runs at (0 is the default, 19 the lowest priority).</summary>
    public const int Nice = 10;

    /// <summary>Runs <paramref name="start"/> on a thread of its own at the background priority: the processes its
    /// synchronous part starts (up to its first wait) are born at <see cref="Nice"/> and cannot raise it.</summary>
    public static Task<T> StartBelow<T>(Func<Task<T>> start)
    {
        if (!OperatingSystem.IsLinux())
        {
            return start();
        }

        // A thread takes its priority from the thread that starts it, and the runtime starts some of its own on first
        // need, for good: the one that handles signals (with the first child process) and the thread pool's wait
        // thread (which waits for child processes to end). Started from there they would be below for the rest of
        // the process, so they are started here first, and a wait is kept registered until the start is done.
        StartRuntimeThreads();
        using var keep = new ManualResetEvent(false);
        var kept = ThreadPool.RegisterWaitForSingleObject(keep, (_, _) => { }, null, Timeout.Infinite, executeOnlyOnce: true);
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                LowerThisThread();
                started.SetResult(start());
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "Workbook background start",
        };
        thread.Start();
        thread.Join();
        kept.Unregister(null);
        return started.Task.Unwrap();
    }

    private static int _runtimeThreadsStarted;

    private static void StartRuntimeThreads()
    {
        if (Interlocked.Exchange(ref _runtimeThreadsStarted, 1) != 0)
        {
            return;
        }

        try
        {
            using var child = new Process
            {
                StartInfo = new ProcessStartInfo("/bin/true") { UseShellExecute = false },
                EnableRaisingEvents = true,
            };
            child.Start();
            child.WaitForExit();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No /bin/true: the start below goes on, and those threads may then be born below.
        }
    }

    /// <summary>The nice value of a process or thread, from its <c>stat</c> file in /proc, or null when it is gone.</summary>
    /// <remarks>The fields after the command, which may hold spaces and parentheses: "pid (comm) state ppid ...", so
    /// the nice value is the 17th.</remarks>
    internal static int? NiceOf(string procFolder)
    {
        try
        {
            string stat = File.ReadAllText(Path.Combine(procFolder, "stat"));
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 16 &&
                   int.TryParse(fields[16], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int nice)
                ? nice
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static void LowerThisThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Both act on the calling thread only. Dropping a capability from the bounding set needs CAP_SETPCAP, which
        // only root has, and so does raising a priority: without it, nothing is dropped because nothing could be.
        _ = SetPriority(PrioProcess, 0, Nice);
        _ = Prctl(PrCapBsetDrop, CapSysNice, 0, 0, 0);
    }

    private const int PrioProcess = 0;
    private const int PrCapBsetDrop = 24;
    private const ulong CapSysNice = 23;

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
