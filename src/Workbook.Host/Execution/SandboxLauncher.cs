using System.Diagnostics;
using System.Globalization;

namespace Workbook.Host.Execution;

/// <summary>The operating-system limits of a sandboxed worker (rlimits set by <c>prlimit</c> inside the sandbox).</summary>
public sealed record SandboxLimits
{
    /// <summary>Processes and threads the sandbox's user may have at once (RLIMIT_NPROC, default 256; the worker
    /// itself uses about 20). Counted per sandbox: each sandbox has its own user namespace.</summary>
    public int Processes { get; init; } = 256;

    /// <summary>Bytes of writable private memory per process (RLIMIT_DATA, default 2 GiB: the GC heap limit plus
    /// room for the runtime and the compiler). .NET reserves gigabytes of address space it never uses, so the
    /// limit is on data, not on address space; it also stops native allocations the GC heap limit does not see.</summary>
    public long DataBytes { get; init; } = 2L << 30;

    /// <summary>CPU seconds per process (RLIMIT_CPU, default 1200: twice the default time limit of a submission on
    /// two cores). A worker past it is killed by the kernel, and a fresh one runs the rest.</summary>
    public int CpuSeconds { get; init; } = 1200;

    /// <summary>Largest file a process may write (RLIMIT_FSIZE, default 64 MiB).</summary>
    public long FileBytes { get; init; } = 64L << 20;

    /// <summary>Size of the sandbox's private, empty <c>/tmp</c> (a tmpfs, default 256 MiB).</summary>
    public long TempBytes { get; init; } = 256L << 20;

    /// <summary>The limits for a worker whose GC heap is limited to <paramref name="heapBytes"/>: data is the heap
    /// plus 1 GiB for the runtime, the compiler and native code.</summary>
    public static SandboxLimits ForHeap(long heapBytes) => new() { DataBytes = heapBytes + (1L << 30) };

    /// <summary>The command line that sets these limits and runs what follows it: <c>/usr/bin/prlimit ... --</c>.</summary>
    internal IReadOnlyList<string> Prlimit() =>
    [
        "/usr/bin/prlimit",
        "--nproc=" + Processes.ToString(CultureInfo.InvariantCulture),
        "--data=" + DataBytes.ToString(CultureInfo.InvariantCulture),
        "--cpu=" + CpuSeconds.ToString(CultureInfo.InvariantCulture),
        "--fsize=" + FileBytes.ToString(CultureInfo.InvariantCulture),
        "--core=0",
        "--",
    ];

    /// <summary>The environment of a confined worker (nothing of the grader's is passed on): <paramref name="home"/>
    /// as its home and temporary folder, a plain PATH, and the runtime settings every worker gets.</summary>
    internal static Dictionary<string, string> WorkerEnvironment(string home)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
        ["HOME"] = home,
        ["TMPDIR"] = home,
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        // W^X double-maps JIT-compiled code through a memory file that grows with the code: under the file size
        // limit (RLIMIT_FSIZE) a long notebook's JIT would fail with "Out of memory". The confinement is the
        // protection here; this also starts the worker faster.
        ["DOTNET_EnableWriteXorExecute"] = "0",
        // No debugger or diagnostics pipes: nothing attaches to a confined worker.
        ["DOTNET_EnableDiagnostics"] = "0",
        };

        // A grader told to run without ICU (a container without libicu, such as Gradescope's) tells its workers too.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT") is { Length: > 0 } invariant)
        {
            environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = invariant;
        }

        return environment;
    }
}

/// <summary>Starts each worker inside a bubblewrap sandbox (<c>bwrap</c>, Linux): its own user, process, network,
/// IPC and UTS namespaces, so no network and no view of other processes; a read-only view of only what the runtime
/// needs (<c>/usr</c>, <c>/lib</c>, <c>/lib64</c>, <c>/etc/ssl</c>, <c>/etc/alternatives</c>, the app's folder at
/// <c>/app</c>, and the .NET folder when it is not under <c>/usr</c>); the worker's working directory as the only
/// writable folder, at <c>/submission</c>, which is the current directory; an empty private <c>/tmp</c>; a cleared
/// environment (<c>HOME=/tmp</c>); and the rlimits of <see cref="SandboxLimits"/>. The sandbox dies with its
/// parent, and everything a cell started dies with the sandbox.</summary>
/// <remarks>Run as root, the sandbox first drops to an unprivileged user (<see cref="SandboxUser"/>) with
/// <c>setpriv</c>: the kernel does not enforce process limits on root, and an unprivileged sandbox cannot gain
/// root back. Create one with <see cref="Sandbox.Probe"/>, which checks that each piece works.</remarks>
/// <param name="Bwrap">The bubblewrap program.</param>
/// <param name="AppFolder">The folder holding <c>workbook.dll</c>, mounted read-only at <c>/app</c>.</param>
/// <param name="Dotnet">The dotnet host that runs <c>/app/workbook.dll worker</c> inside.</param>
/// <param name="Limits">The rlimits.</param>
/// <param name="SandboxUser">The uid (and gid) the sandbox runs as when this process is root, via
/// <paramref name="Setpriv"/>; null to keep this process's user (not root).</param>
/// <param name="Setpriv">The setpriv program, used when <paramref name="SandboxUser"/> is set.</param>
public sealed record SandboxLauncher(string Bwrap, string AppFolder, string Dotnet, SandboxLimits Limits,
    int? SandboxUser, string? Setpriv)
    : WorkerLauncher(SandboxUser is null ? Bwrap : Setpriv ?? "setpriv", [])
{
    /// <summary>Where the app's folder appears inside the sandbox.</summary>
    public const string AppMount = "/app";

    /// <summary>Where the worker's working directory appears inside the sandbox (its current directory).</summary>
    public const string WorkMount = "/submission";

    /// <summary>The worker's command inside the sandbox.</summary>
    public IReadOnlyList<string> WorkerCommand => [Dotnet, AppMount + "/workbook.dll", "worker"];

    /// <summary>The start info of a sandboxed worker for <paramref name="launch"/>: the command line of
    /// <see cref="CommandLine"/>; the working directory is made writable for the sandbox's user.</summary>
    public override ProcessStartInfo CreateStartInfo(WorkerLaunch launch)
    {
        var psi = base.CreateStartInfo(launch);
        psi.ArgumentList.Clear();
        var argv = CommandLine(launch, WorkerCommand);
        psi.FileName = argv[0];
        foreach (string a in argv.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        if (SandboxUser is not null && !OperatingSystem.IsWindows())
        {
            // The folder is the submission's own fresh copy; the unprivileged sandbox user writes in it.
            File.SetUnixFileMode(launch.WorkingDirectory, (UnixFileMode)0x1FF); // 0777
        }

        return psi;
    }

    /// <summary>The full command line (program first) that runs <paramref name="command"/> in the sandbox with
    /// <paramref name="launch"/>'s working directory and environment; nothing of this process's environment is
    /// passed on.</summary>
    public IReadOnlyList<string> CommandLine(WorkerLaunch launch, IReadOnlyList<string> command)
    {
        var argv = new List<string>();
        if (SandboxUser is { } uid)
        {
            string id = uid.ToString(CultureInfo.InvariantCulture);
            argv.AddRange([Setpriv ?? "setpriv", "--reuid", id, "--regid", id, "--clear-groups", "--no-new-privs"]);
        }

        // --as-pid-1: no bwrap process inside shows the grader's paths in its command line. The first process is a
        // shell that runs the command as its child and exits with its status (a process 1 cannot be ended by its own
        // abort, so the worker must not be it); when the shell ends, the kernel ends everything else inside.
        argv.AddRange([Bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
            "--as-pid-1", "--clearenv"]);
        foreach (string dir in (string[])["/usr", "/lib", "/lib64", "/etc/ssl", "/etc/alternatives"])
        {
            argv.AddRange(["--ro-bind-try", dir, dir]);
        }

        argv.AddRange(["--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin"]);
        // The private /tmp first: a program kept under the grader's /tmp (a dotnet root unpacked there) is bound
        // on top of it below, not hidden by it.
        argv.AddRange(["--size", Text(Limits.TempBytes), "--tmpfs", "/tmp"]);
        string dotnetRoot = Path.GetDirectoryName(Path.GetFullPath(Dotnet))!;
        if (!IsUnder(dotnetRoot, "/usr") && !IsUnder(dotnetRoot, "/lib"))
        {
            argv.AddRange(["--ro-bind", dotnetRoot, dotnetRoot]);
        }

        argv.AddRange(["--ro-bind", AppFolder, AppMount,
            "--bind", launch.WorkingDirectory, WorkMount,
            "--proc", "/proc", "--dev", "/dev",
            "--chdir", WorkMount]);
        var environment = SandboxLimits.WorkerEnvironment("/tmp");
        foreach (var (name, value) in launch.Environment)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            argv.AddRange(["--setenv", name, value]);
        }

        argv.AddRange([.. Limits.Prlimit(), "/bin/sh", "-c", "\"$@\"; exit $?", "sh"]);
        argv.AddRange(command);
        return argv;
    }

    /// <summary>What running without the sandbox gives up, for the warning of <c>--no-sandbox</c>.</summary>
    internal const string WhatNoSandboxGivesUp =
        "student code runs with your user's rights: it can read and write your files (other submissions, the " +
        "instructor's source with its hidden tests), use the network, start processes that outlive grading, and " +
        "use memory outside the GC heap limit without bound.";

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
}
