using System.Diagnostics;
using System.Globalization;
using Workbook.Host.Rendering;

namespace Workbook.Host.Tests.Rendering;

public sealed class BackgroundPriorityTests
{
    [FactOnLinux]
    public async Task Every_thread_of_a_process_tree_gets_the_background_priority_and_what_it_starts_later_too()
    {
        // A shell with a child now, and another child it starts once the file "go" appears.
        string dir = Directory.CreateTempSubdirectory("workbook-priority-").FullName;
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh",
            ["-c", "sleep 60 & while [ ! -e go ]; do sleep 0.05; done; sleep 60 & wait"]) { WorkingDirectory = dir })!;
        try
        {
            await WaitForAsync(() => ThreadsOfTree(shell.Id).Count >= 2);
            Assert.All(ThreadsOfTree(shell.Id), t => Assert.Equal(0, BackgroundPriority.NiceOf(t)));

            int set = BackgroundPriority.Lower(shell.Id);
            File.WriteAllText(Path.Combine(dir, "go"), "");
            await WaitForAsync(() => ThreadsOfTree(shell.Id).Count >= 3);

            Assert.True(set >= 2, $"set {set}");
            Assert.All(ThreadsOfTree(shell.Id), t => Assert.Equal(BackgroundPriority.Nice, BackgroundPriority.NiceOf(t)));
            Assert.Equal(0, BackgroundPriority.NiceOf($"/proc/{Environment.ProcessId}"));
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [FactOnLinux]
    public void A_process_that_is_gone_is_skipped()
    {
        using var done = Process.Start(new ProcessStartInfo("/bin/true"))!;
        done.WaitForExit();

        Assert.Equal(0, BackgroundPriority.Lower(done.Id));
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
