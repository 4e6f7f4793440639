using System.Diagnostics;

namespace Workbook.Testing;

/// <summary>Outside programs some tests drive (Debian's python3-nbformat, jupyter-nbconvert, python3-jupyter-client,
/// python3-nbclient, chromium). Shared by the test projects as a linked file (tests/Shared).</summary>
/// <remarks>When a client is missing the test is skipped with a visible reason, so the README's test command
/// passes on a machine with only the .NET SDK. CI sets WORKBOOK_REQUIRE_CLIENTS=1: then nothing is skipped and
/// a missing client fails the test (.ci/run installs the clients).</remarks>
public static class ExternalClient
{
    /// <summary>Debian's Python, which sees the python3-* packages (the first python3 on PATH may not).</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static bool Required => Environment.GetEnvironmentVariable("WORKBOOK_REQUIRE_CLIENTS") == "1";

    /// <summary>Null when the Python module can be imported, else why not.</summary>
    public static string? MissingPythonModule(string module) =>
        Succeeds(Python, "-c", $"import {module}") ? null
            : $"needs the Python module '{module}' (apt-get install python3-{module.Split('.')[0]}); skipped";

    /// <summary>Null when bubblewrap (bwrap) is on PATH, else why a test of the grading sandbox is skipped.</summary>
    public static string? MissingBubblewrap =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "bwrap")))
            ? null
            : "needs bubblewrap for the grading sandbox (apt-get install bubblewrap); skipped";

    /// <summary>The arguments that let <c>grade</c> and <c>check</c> run where the sandbox cannot: none when bwrap is
    /// there (or CI requires it), else <c>--no-sandbox</c>.</summary>
    public static string[] SandboxOrNot => MissingBubblewrap is null || Required ? [] : ["--no-sandbox"];

    public static bool Succeeds(string file, params string[] args)
    {
        try
        {
            var (code, _, _) = Run(file, args, TimeSpan.FromSeconds(60));
            return code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static (int ExitCode, string StdOut, string StdErr) Run(string file, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {timeout}");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fact that needs a Python module; skipped with the reason when the module is missing, unless CI
/// requires clients.</summary>
public sealed class FactNeedsPythonAttribute : FactAttribute
{
    public FactNeedsPythonAttribute(string module)
    {
        if (!ExternalClient.Required && ExternalClient.MissingPythonModule(module) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that runs student code in the grading sandbox; skipped with the reason when bubblewrap is missing,
/// unless CI requires clients.</summary>
public sealed class FactNeedsSandboxAttribute : FactAttribute
{
    public FactNeedsSandboxAttribute()
    {
        if (!ExternalClient.Required && ExternalClient.MissingBubblewrap is { } reason)
        {
            Skip = reason;
        }
    }
}
