using System.Diagnostics;
using System.Globalization;
using Workbook.Host.Rendering;

namespace Workbook.Host.Tests.Rendering;

public sealed class BackgroundPriorityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-priority-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [FactOnLinux]
    public async Task A_program_started_through_the_launcher_and_what_it_starts_run_below_and_cannot_raise_it()
    {
        // "nice" prints the nice value it runs at; "nice -n -10" asks for a higher priority first, which only a
        // process with CAP_SYS_NICE (root) gets, and runs its command either way.
        int caller = NiceOfThisProcess();
        int below = Math.Min(19, caller + BackgroundPriority.Nice);
        using var shell = Process.Start(new ProcessStartInfo(BackgroundPriority.WriteLauncher("/bin/sh", _dir),
            ["-c", "nice; nice -n -10 nice 2>/dev/null; sleep 60 & sleep 60 & wait"])
        {
            RedirectStandardOutput = true,
        })!;
        try
        {
            string own = (await shell.StandardOutput.ReadLineAsync())!;
            string raised = (await shell.StandardOutput.ReadLineAsync())!;
            await WaitForAsync(() => ThreadsOfTree(shell.Id).Count >= 3);

            Assert.Equal(below.ToString(CultureInfo.InvariantCulture), own);
            Assert.Equal(below.ToString(CultureInfo.InvariantCulture), raised);
            Assert.All(ThreadsOfTree(shell.Id), t => Assert.Equal(below, BackgroundPriority.NiceOf(t)));
            Assert.All(Directory.EnumerateDirectories($"/proc/{Environment.ProcessId}/task"),
                t => Assert.Equal(caller, BackgroundPriority.NiceOf(t)));
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync();
        }
    }

    [FactOnLinux]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_launcher_passes_arguments_environment_and_exit_code_unchanged_and_becomes_the_program()
    {
        // A program whose path needs quoting for the shell, which prints its process id, arguments and a variable.
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "it's a \"folder\" $HOME")).FullName;
        string program = Path.Combine(folder, "echo args");
        File.WriteAllText(program, "#!/bin/sh\necho $$\nfor a in \"$@\"; do echo \"[$a]\"; done\necho \"$GREETING\"\nexit 7\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var psi = new ProcessStartInfo(BackgroundPriority.WriteLauncher(program, _dir), ["a b", "", "'q'", "$x", "*"])
        {
            RedirectStandardOutput = true,
            Environment = { ["GREETING"] = "hello" },
        };

        using var p = Process.Start(psi)!;
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();

        Assert.Equal(7, p.ExitCode);
        Assert.Equal([p.Id.ToString(CultureInfo.InvariantCulture), "[a b]", "[]", "['q']", "[$x]", "[*]", "hello"],
            output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_word_quoted_for_the_shell_stands_for_the_text_exactly()
    {
        Assert.Equal("'plain'", BackgroundPriority.ShellQuote("plain"));
        Assert.Equal("'it'\\''s'", BackgroundPriority.ShellQuote("it's"));
    }

    [Fact]
    public void The_nice_value_of_a_process_that_is_gone_is_null()
    {
        Assert.Null(BackgroundPriority.NiceOf("/proc/not-a-process"));
    }

    /// <summary>The /proc folders of every thread of <paramref name="root"/> and of the processes below it.</summary>
    internal static List<string> ThreadsOfTree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                try
                {
                    string stat = File.ReadAllText(Path.Combine(folder, "stat"));
                    parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // gone meanwhile
                }
            }
        }

        var tree = new List<int> { root };
        for (int i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        var threads = new List<string>();
        foreach (int pid in tree)
        {
            try
            {
                threads.AddRange(Directory.EnumerateDirectories($"/proc/{pid}/task"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone meanwhile
            }
        }

        return threads;
    }

    /// <summary>The test process's own nice value: what the processes it starts are born with, and the base the
    /// background priority is relative to (a runner may be started with nice).</summary>
    internal static int NiceOfThisProcess() => BackgroundPriority.NiceOf($"/proc/{Environment.ProcessId}") ?? 0;

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the processes");
            await Task.Delay(20);
        }
    }
}
