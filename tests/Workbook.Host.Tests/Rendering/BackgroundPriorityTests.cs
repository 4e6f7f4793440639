using System.Diagnostics;
using System.Globalization;
using Workbook.Host.Rendering;

namespace Workbook.Host.Tests.Rendering;

public sealed class BackgroundPriorityTests
{
    [FactOnLinux]
    public async Task A_process_started_below_and_what_it_starts_run_at_the_background_priority_and_cannot_raise_it()
    {
        // "nice" prints the nice value it runs at; "nice -n -10" asks for a higher priority first, which only a
        // process with CAP_SYS_NICE (root) gets, and runs its command either way.
        using var shell = await BackgroundPriority.StartBelow(() => Task.FromResult(Process.Start(
            new ProcessStartInfo("/bin/sh", ["-c", "nice; nice -n -10 nice 2>/dev/null; sleep 60 & sleep 60 & wait"])
            {
                RedirectStandardOutput = true,
            })!));
        try
        {
            string own = (await shell.StandardOutput.ReadLineAsync())!;
            string raised = (await shell.StandardOutput.ReadLineAsync())!;
            await WaitForAsync(() => ThreadsOfTree(shell.Id).Count >= 3);

            Assert.Equal(BackgroundPriority.Nice.ToString(CultureInfo.InvariantCulture), own);
            Assert.Equal(BackgroundPriority.Nice.ToString(CultureInfo.InvariantCulture), raised);
            Assert.All(ThreadsOfTree(shell.Id), t => Assert.Equal(BackgroundPriority.Nice, BackgroundPriority.NiceOf(t)));
            Assert.Equal(0, BackgroundPriority.NiceOf($"/proc/{Environment.ProcessId}"));
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync();
        }
    }

    [FactOnLinux]
    public async Task A_start_that_fails_fails_its_task()
    {
        var failing = BackgroundPriority.StartBelow<int>(() => throw new InvalidOperationException("no start"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("no start", e.Message);
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
