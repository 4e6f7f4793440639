using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Workbook.Host.Execution;

/// <summary>The sandbox for graded code could not be set up; the message names the missing piece and how to get it.
/// This is the grading tool's failure, never a grade.</summary>
public sealed class SandboxUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Finds the pieces of the worker sandbox (<see cref="SandboxLauncher"/>) and checks that they work.</summary>
public static class Sandbox
{
    /// <summary>The uid and gid a sandbox started by root runs as (<c>nobody</c>).</summary>
    public const int UnprivilegedUser = 65534;

    /// <summary>How to install bubblewrap, for error messages.</summary>
    public const string InstallHint = "install bubblewrap (Debian, Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)";

    /// <summary>Finds bwrap (and, as root, setpriv) on <paramref name="path"/> (default: the <c>PATH</c>
    /// variable), builds a <see cref="SandboxLauncher"/> for <paramref name="worker"/> (default
    /// <see cref="WorkerLauncher.Default"/>) and runs a trial sandbox with it: the dotnet host must start inside,
    /// the app folder must be readable and the working folder writable.</summary>
    /// <exception cref="SandboxUnavailableException">Not Linux; bwrap, setpriv or prlimit missing; or the trial
    /// sandbox failed (the message has bwrap's own error).</exception>
    public static SandboxLauncher Probe(SandboxLimits limits, string? path = null, WorkerLauncher? worker = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new SandboxUnavailableException(
                $"the grading sandbox needs Linux (bubblewrap), and this is {RuntimeInformation.OSDescription}: grade " +
                "inside a Linux container or VM, or pass --no-sandbox to run student code unconfined");
        }

        path ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        string bwrap = Find("bwrap", path) ?? throw new SandboxUnavailableException(
            $"the grading sandbox needs bubblewrap (bwrap), which is not on PATH: {InstallHint}; or pass " +
            "--no-sandbox to run student code unconfined");
        if (!File.Exists("/usr/bin/prlimit"))
        {
            throw new SandboxUnavailableException(
                "the grading sandbox sets its limits with /usr/bin/prlimit (util-linux), which is missing: apt-get install util-linux");
        }

        bool root = Environment.UserName == "root" || GetEuid() == 0;
        string? setpriv = null;
        if (root)
        {
            setpriv = Find("setpriv", path) ?? throw new SandboxUnavailableException(
                "grading as root, the sandbox drops to an unprivileged user with setpriv (util-linux), which is not on PATH: apt-get install util-linux");
        }

        worker ??= WorkerLauncher.Default;
        string app = AppFolderOf(worker);
        if (root && !OperatingSystem.IsWindows() && !ReachableByEveryone(app))
        {
            // The unprivileged sandbox user cannot enter the program's folder (a clone under /root, say): it runs a
            // copy of the program made for this process instead.
            app = StageCopy(app);
        }

        var launcher = new SandboxLauncher(bwrap, app, WorkerLauncher.DotnetHost(), limits,
            root ? UnprivilegedUser : null, setpriv);
        Trial(launcher);
        return launcher;
    }

    /// <summary>The fallback for a machine where <see cref="Probe"/> fails but this process is root: workers run as
    /// the separate unprivileged user (<see cref="SeparateUserLauncher"/>), after a trial start as that user.</summary>
    /// <exception cref="SandboxUnavailableException">Not root, setpriv or prlimit missing, or the trial failed.</exception>
    internal static SeparateUserLauncher ProbeSeparateUser(SandboxLimits limits, WorkerLauncher? worker = null)
    {
        if (!OperatingSystem.IsLinux() || GetEuid() != 0)
        {
            throw new SandboxUnavailableException("running student code as a separate user needs Linux and root");
        }

        string setpriv = Find("setpriv", Environment.GetEnvironmentVariable("PATH") ?? "") ?? throw new SandboxUnavailableException(
            "running student code as a separate user needs setpriv (util-linux): apt-get install util-linux");
        if (!File.Exists("/usr/bin/prlimit"))
        {
            throw new SandboxUnavailableException("running student code as a separate user needs /usr/bin/prlimit (util-linux)");
        }

        worker ??= WorkerLauncher.Default;
        string app = AppFolderOf(worker);
        if (!ReachableByEveryone(app))
        {
            app = StageCopy(app);
        }

        var launcher = new SeparateUserLauncher(setpriv, WorkerLauncher.DotnetHost(), app, limits);
        var psi = new ProcessStartInfo(setpriv)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (string a in launcher.CommandLine(["/bin/sh", "-c",
                     "test -r \"$1/workbook.dll\" || { echo \"cannot read $1 as the separate user\" >&2; exit 41; }; exec \"$0\" --list-runtimes >/dev/null",
                     launcher.Dotnet, app]))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new SandboxUnavailableException("setpriv did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new SandboxUnavailableException("a trial start as the separate user did not finish within 60 s");
        }

        return p.ExitCode == 0
            ? launcher
            : throw new SandboxUnavailableException($"cannot start the worker as the separate user {UnprivilegedUser} (exit code {p.ExitCode}): {stderr.Result.Trim()}");
    }

    /// <summary>Whether every user may enter <paramref name="folder"/> and each folder above it.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool ReachableByEveryone(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies the program's folder to a fresh temporary folder that every user may enter and read, removed
    /// when this process exits (or, when it is killed, by the next copy's sweep: see <see cref="TempFolders"/>);
    /// returns the copy's path.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string StageCopy(string app)
    {
        string copy = TempFolders.Create("workbook-app-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TempFolders.Delete(copy);
        const UnixFileMode open = (UnixFileMode)0x1ED; // 0755
        File.SetUnixFileMode(copy, open);
        foreach (string dir in Directory.EnumerateDirectories(app, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(app, dir));
            Directory.CreateDirectory(target);
            File.SetUnixFileMode(target, open);
        }

        foreach (string file in Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(app, file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, (UnixFileMode)0x1A4); // 0644
        }

        return copy;
    }

    /// <summary>The folder of <c>workbook.dll</c> that <paramref name="worker"/> runs.</summary>
    private static string AppFolderOf(WorkerLauncher worker)
    {
        string? dll = worker.Arguments.FirstOrDefault(a => a.EndsWith("workbook.dll", StringComparison.OrdinalIgnoreCase));
        string folder = dll is not null ? Path.GetDirectoryName(Path.GetFullPath(dll))! : Path.GetDirectoryName(Path.GetFullPath(worker.FileName))!;
        return File.Exists(Path.Combine(folder, "workbook.dll"))
            ? folder
            : throw new SandboxUnavailableException($"the workbook program (workbook.dll) is not in {folder}");
    }

    private static void Trial(SandboxLauncher launcher)
    {
        string work = TempFolders.Create("workbook-sandbox-probe-");
        try
        {
            var argv = launcher.CommandLine(new WorkerLaunch(work, new Dictionary<string, string>()),
            [
                "/bin/sh", "-c",
                $"test -r {SandboxLauncher.AppMount}/workbook.dll || {{ echo 'cannot read the app folder {launcher.AppFolder} as the sandbox user' >&2; exit 41; }}; " +
                $"touch {SandboxLauncher.WorkMount}/.probe || {{ echo 'cannot write the working folder' >&2; exit 42; }}; " +
                "exec \"$0\" --list-runtimes >/dev/null",
                launcher.Dotnet,
            ]);
            if (launcher.SandboxUser is not null && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(work, (UnixFileMode)0x1FF);
            }

            var psi = new ProcessStartInfo(argv[0])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = work,
            };
            foreach (string a in argv.Skip(1))
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi) ?? throw new SandboxUnavailableException($"{argv[0]} did not start");
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                p.Kill(entireProcessTree: true);
                throw new SandboxUnavailableException("a trial sandbox did not finish within 60 s");
            }

            if (p.ExitCode != 0)
            {
                string why = stderr.Result.Trim();
                if (launcher.SandboxUser is { } uid && why.Contains("Permission denied", StringComparison.Ordinal))
                {
                    throw new SandboxUnavailableException(
                        $"the grading sandbox runs as the unprivileged user {uid}, which cannot reach a folder it needs ({why}): " +
                        "keep the workbook program and the temporary folder (TMPDIR) where every user may enter, such as /tmp; " +
                        "or pass --no-sandbox to run student code unconfined");
                }

                throw new SandboxUnavailableException(
                    $"bubblewrap ({launcher.Bwrap}) cannot create the grading sandbox here (exit code {p.ExitCode}): " +
                    (why.Length > 0 ? why : "no message") + ". It needs unprivileged user namespaces " +
                    "(sysctl kernel.unprivileged_userns_clone=1; in Docker, a seccomp profile that allows them); " +
                    "or pass --no-sandbox to run student code unconfined");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SandboxUnavailableException($"cannot run bubblewrap: {e.Message}; {InstallHint}", e);
        }
        finally
        {
            TempFolders.Delete(work);
        }
    }

    private static string? Find(string program, string path) =>
        path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static uint GetEuid() => OperatingSystem.IsWindows() ? 1 : EffectiveUserId();

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint EffectiveUserId();
}
