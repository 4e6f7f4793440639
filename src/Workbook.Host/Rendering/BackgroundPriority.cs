using System.Globalization;
using System.Runtime.InteropServices;

namespace Workbook.Host.Rendering;

/// <summary>Lowers the CPU priority of a process tree that works in the background (the chromium that draws the
/// charts' static images), so that it takes the CPU a reader's next cell leaves over instead of half of it.</summary>
/// <remarks>On Linux a nice value belongs to each thread, and a thread or process takes its creator's: every thread
/// of every process in the tree is set, and what they start later inherits the value. Lowering a priority needs no
/// privilege. Elsewhere this does nothing.</remarks>
internal static class BackgroundPriority
{
    /// <summary>The nice value background work runs at (0 is the default, 19 the lowest priority).</summary>
    public const int Nice = 10;

    /// <summary>Sets every thread of <paramref name="rootPid"/> and of its descendants to <see cref="Nice"/>, unless a
    /// thread is lower already; returns how many threads it set. Processes that end meanwhile are skipped.</summary>
    public static int Lower(int rootPid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        int set = 0;
        foreach (int pid in Tree(rootPid))
        {
            IEnumerable<string> threads;
            try
            {
                threads = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (string thread in threads)
            {
                if (int.TryParse(Path.GetFileName(thread), NumberStyles.None, CultureInfo.InvariantCulture, out int tid) &&
                    NiceOf(thread) is { } nice && nice < Nice && SetPriority(PrioProcess, tid, Nice) == 0)
                {
                    set++;
                }
            }
        }

        return set;
    }

    /// <summary>The nice value of a process or thread, from its <c>stat</c> file in /proc, or null when it is gone.</summary>
    internal static int? NiceOf(string procFolder) =>
        StatFields(procFolder) is { Length: > 16 } fields &&
        int.TryParse(fields[16], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int nice)
            ? nice
            : null;

    /// <summary><paramref name="rootPid"/> and every process below it, read from /proc.</summary>
    private static List<int> Tree(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) &&
                StatFields(folder) is { Length: > 1 } fields &&
                int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent))
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        var tree = new List<int> { rootPid };
        for (int i = 0; i < tree.Count; i++)
        {
            if (children.TryGetValue(tree[i], out var below))
            {
                tree.AddRange(below);
            }
        }

        return tree;
    }

    /// <summary>The fields of a process's or thread's <c>stat</c> file after its command, which may hold spaces and
    /// parentheses: "pid (comm) state ppid ...", so state is [0], the parent [1] and the nice value [16]. Null when
    /// it is gone or cannot be read.</summary>
    private static string[]? StatFields(string procFolder)
    {
        try
        {
            string stat = File.ReadAllText(Path.Combine(procFolder, "stat"));
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private const int PrioProcess = 0;

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);
}
