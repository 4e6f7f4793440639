using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Workbook.Host.Execution;

/// <summary>What a worker process is started with: its working directory and environment variables.</summary>
/// <param name="WorkingDirectory">The folder that becomes the worker's current directory.</param>
/// <param name="Environment">Variables to set in the worker's environment (on top of this process's).</param>
public sealed record WorkerLaunch(string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);

/// <summary>Starts worker processes. A launcher decides the command line; a sandbox can wrap the worker's command
/// (for example <c>bwrap --ro-bind ... -- dotnet workbook.dll worker</c>) by overriding
/// <see cref="CreateStartInfo"/> or with <see cref="WithPrefix"/>.</summary>
/// <param name="FileName">The program.</param>
/// <param name="Arguments">Its arguments. Nothing about the notebook is passed on the command line or in files:
/// cells reach the worker over its standard input only.</param>
public record WorkerLauncher(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The program this process was started from, with the hidden <c>worker</c> verb: the CLI's apphost
    /// (<c>workbook worker</c>), or the dotnet host with <c>workbook.dll</c> found next to this library
    /// (<c>dotnet workbook.dll worker</c>, which is how the tests find it too).</summary>
    /// <exception cref="WorkerStartException">Neither is there.</exception>
    public static WorkerLauncher Default
    {
        get
        {
            string? process = Environment.ProcessPath;
            if (process is not null && Path.GetFileNameWithoutExtension(process).Equals("workbook", StringComparison.OrdinalIgnoreCase))
            {
                return new WorkerLauncher(process, ["worker"]);
            }

            string dll = Path.Combine(AppContext.BaseDirectory, "workbook.dll");
            if (!File.Exists(dll))
            {
                throw new WorkerStartException(
                    $"cannot start a worker process: the workbook program (workbook.dll) is not in {AppContext.BaseDirectory}");
            }

            return new WorkerLauncher(DotnetHost(), [dll, "worker"]);
        }
    }

    /// <summary>A launcher that runs <paramref name="program"/> <paramref name="arguments"/> followed by this
    /// launcher's command line (a sandbox such as bubblewrap in front of the worker).</summary>
    public WorkerLauncher WithPrefix(string program, params IEnumerable<string> arguments) =>
        this with { FileName = program, Arguments = [.. arguments, FileName, .. Arguments] };

    /// <summary>The start info for one worker: standard input, output and error redirected (UTF-8), the working
    /// directory and environment of <paramref name="launch"/>.</summary>
    public virtual ProcessStartInfo CreateStartInfo(WorkerLaunch launch)
    {
        var psi = new ProcessStartInfo(FileName)
        {
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (string a in Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in launch.Environment)
        {
            psi.Environment[name] = value;
        }

        return psi;
    }

    /// <summary>The environment variable that limits a .NET process's GC heap, as its value for
    /// <paramref name="bytes"/>.</summary>
    public static KeyValuePair<string, string> HeapLimit(long bytes) =>
        new("DOTNET_GCHeapHardLimit", "0x" + bytes.ToString("X", CultureInfo.InvariantCulture));

    /// <summary>The absolute path of the dotnet host: this process when it is dotnet, else the host MSBuild and
    /// the CLI announce, else the one that owns the running runtime; "dotnet" as a last resort.</summary>
    public static string DotnetHost()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileName(process).Equals(exe, StringComparison.OrdinalIgnoreCase))
        {
            return process;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } announced && File.Exists(announced))
        {
            return announced;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/
        string runtime = RuntimeEnvironment.GetRuntimeDirectory();
        string root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string candidate = Path.Combine(root, exe);
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
