using System.Diagnostics;
using System.Globalization;

namespace Workbook.Host.Execution;

/// <summary>The fallback where bubblewrap cannot build its sandbox (a container that allows no user namespaces, as
/// Gradescope's may not): the worker runs as the unprivileged user <c>nobody</c> (<see cref="Sandbox.UnprivilegedUser"/>),
/// dropped to by <c>setpriv</c> with no new privileges and no groups, with a cleared environment and the same
/// <c>prlimit</c> limits as the sandbox. It reads only what every user may read and writes only in its working
/// folder (made writable for it), so a file kept from other users (the instructor's source with its hidden tests)
/// stays out of reach; unlike the sandbox it shares the machine's network and process list.</summary>
/// <param name="Setpriv">setpriv (util-linux).</param>
/// <param name="Dotnet">The dotnet host.</param>
/// <param name="AppFolder">The folder of <c>workbook.dll</c>, readable by every user.</param>
/// <param name="Limits">The process limits.</param>
internal sealed record SeparateUserLauncher(string Setpriv, string Dotnet, string AppFolder, SandboxLimits Limits)
    : WorkerLauncher(Setpriv, [])
{
    /// <summary>The start info of a worker running as the separate user.</summary>
    public override ProcessStartInfo CreateStartInfo(WorkerLaunch launch)
    {
        var psi = base.CreateStartInfo(launch);
        psi.ArgumentList.Clear();
        foreach (string a in CommandLine([Dotnet, Path.Combine(AppFolder, "workbook.dll"), "worker"]))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Clear();
        foreach (var (name, value) in Environment(launch))
        {
            psi.Environment[name] = value;
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(launch.WorkingDirectory, (UnixFileMode)0x1FF); // 0777: the submission's own copy
        }

        return psi;
    }

    /// <summary>The arguments after setpriv that run <paramref name="command"/> as the separate user, limited.</summary>
    internal IReadOnlyList<string> CommandLine(IReadOnlyList<string> command)
    {
        string id = Sandbox.UnprivilegedUser.ToString(CultureInfo.InvariantCulture);
        return ["--reuid", id, "--regid", id, "--clear-groups", "--no-new-privs", .. Limits.Prlimit(), .. command];
    }

    private static Dictionary<string, string> Environment(WorkerLaunch launch)
    {
        var environment = SandboxLimits.WorkerEnvironment(launch.WorkingDirectory);
        foreach (var (name, value) in launch.Environment)
        {
            environment[name] = value;
        }

        return environment;
    }
}
