using System.Diagnostics;
using Workbook.Host.Rendering;
using Workbook.Host;

namespace Workbook.Cli.Tests;

/// <summary>The headless chromium that draws the charts' PNGs lives no longer than the process that started it,
/// even when that process is killed (a worker ended for its time limit, a test runner stopped).</summary>
public sealed class ChromiumLifetimeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-test-chromium-life-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [FactNeedsChromium]
    public void A_run_killed_while_drawing_charts_leaves_no_chromium_behind()
    {
        string lesson = Path.Combine(CliRunner.Root, "notebooks", "00_start-here.ipynb");
        // The run's temporary folder is the test's own, to see what the killed run leaves there.
        string temp = Directory.CreateDirectory(Path.Combine(_dir, "tmp")).FullName;
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["TMPDIR"] = temp;
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "workbook.dll"), "run", lesson, "--out", Path.Combine(_dir, "out") })
        {
            psi.ArgumentList.Add(a);
        }

        using var run = Process.Start(psi)!;
        _ = run.StandardOutput.ReadToEndAsync();
        _ = run.StandardError.ReadToEndAsync();
        int[] browsers = [];
        int[] below = [];
        var clock = Stopwatch.StartNew();
        while (browsers.Length == 0 && !run.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            Thread.Sleep(100);
            below = Descendants(run.Id).ToArray();
            browsers = below.Where(IsChromium).ToArray();
        }

        Assert.True(browsers.Length > 0, "the run finished or timed out before it started chromium");
        run.Kill(entireProcessTree: false); // SIGKILL to the run alone: nothing of it can clean up
        run.WaitForExit();

        clock.Restart();
        while (browsers.Any(Alive) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(100);
        }

        Assert.False(browsers.Any(Alive), $"chromium {string.Join(",", browsers.Where(Alive))} outlived the killed run");

        // Its worker ends chromium and removes the profile as it exits; what a worker killed before then leaves, the
        // next browser's start sweeps. Either way no profile and no chromium socket folder stay. (The killed run's own
        // .NET debugger pipes do: nothing of it could clean up.)
        while (below.Any(Alive) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(100);
        }

        TempFolders.Sweep(temp, ChartImages.ProfilePrefix);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(temp).Select(Path.GetFileName),
            name => name!.StartsWith(ChartImages.ProfilePrefix, StringComparison.Ordinal) ||
                    name.StartsWith("org.chromium.", StringComparison.Ordinal));
    }

    /// <summary>Every process below <paramref name="root"/>, read from /proc.</summary>
    private static IEnumerable<int> Descendants(int root)
    {
        var parentOf = new Dictionary<int, int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && ParentOf(pid) is { } parent)
            {
                parentOf[pid] = parent;
            }
        }

        var below = new HashSet<int> { root };
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var (pid, parent) in parentOf)
            {
                if (below.Contains(parent) && below.Add(pid))
                {
                    grew = true;
                }
            }
        }

        below.Remove(root);
        return below;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // gone meanwhile
        }
    }

    private static bool IsChromium(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("chromium", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            // A zombie (state Z) has exited and only waits for its parent to reap it.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>A fact that needs chromium and Linux's /proc; skipped with the reason when either is missing, unless CI
/// requires clients.</summary>
public sealed class FactNeedsChromiumAttribute : FactAttribute
{
    public FactNeedsChromiumAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "reads the process tree from Linux's /proc; skipped";
        }
        else if (Environment.GetEnvironmentVariable("WORKBOOK_REQUIRE_CLIENTS") != "1" && ChartImages.FindChromium() is null)
        {
            Skip = "needs chromium (apt-get install chromium, or set WORKBOOK_CHROMIUM); skipped";
        }
    }
}
