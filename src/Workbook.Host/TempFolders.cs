using System.Globalization;
using System.Runtime.InteropServices;

namespace Workbook.Host;

/// <summary>The workbook's folders in the temporary folder (chromium profiles, the graded copies of submissions, the
/// sandbox's copy of the program): each is named after the process that owns it, removed by that process when done,
/// and removed by a later <see cref="Sweep"/> when the process was killed first.</summary>
/// <remarks>A folder is <c>PREFIX</c><c>PID-xxxxxx</c>, PID being its owner's process id. It is stale when its owner
/// is gone (or a zombie) and, when it holds chromium's lock (<c>SingletonLock</c>, a symbolic link to
/// <c>HOST-PID</c>), that chromium is gone too; a folder of our prefix without either (left by an older workbook) is
/// stale once it has not changed for <see cref="UnlockedGrace"/>. This takes the temporary folder to be this
/// machine's, seen by processes of one process-id namespace. Only Linux is swept: there a folder's owner and the
/// processes can be read.</remarks>
internal static class TempFolders
{
    /// <summary>How long a folder without an owner or a lock is left alone.</summary>
    public static readonly TimeSpan UnlockedGrace = TimeSpan.FromMinutes(10);

    private const string OwnPrefix = "workbook-";

    /// <summary>Sweeps the stale folders of <paramref name="prefix"/> from the temporary folder, then creates a fresh
    /// <c>PREFIX</c><c>PID-xxxxxx</c> there, readable by its owner only; returns its path.</summary>
    public static string Create(string prefix)
    {
        Sweep(Path.GetTempPath(), prefix);
        return Directory.CreateTempSubdirectory(prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-")
            .FullName;
    }

    /// <summary>Removes <paramref name="folder"/> and all it holds. When that fails (a process still writing there,
    /// a folder made read-only), it tries once more a moment later with every folder in it made writable; what is
    /// still left then goes with a later <see cref="Sweep"/>. Never throws for a folder it cannot remove.</summary>
    public static void Delete(string folder)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 2)
                {
                    return;
                }
            }

            Thread.Sleep(200);
            MakeWritable(folder);
        }
    }

    /// <summary>Removes the stale folders named <c>PREFIX*</c> directly in <paramref name="parent"/> that belong to
    /// this user; returns how many it removed. It never follows a symbolic link: a link named like one of ours is
    /// left alone, and links inside a removed folder are removed, not what they point to. A folder it cannot read or
    /// remove is left for the next sweep.</summary>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is not one of the workbook's
    /// (<c>workbook-</c> and more), or is a path.</exception>
    public static int Sweep(string parent, string prefix)
    {
        if (!prefix.StartsWith(OwnPrefix, StringComparison.Ordinal) || prefix.Length == OwnPrefix.Length ||
            prefix.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar, '*', '?']) >= 0)
        {
            throw new ArgumentException($"'{prefix}' is not a workbook temporary-folder prefix (workbook-NAME-)", nameof(prefix));
        }

        if (!OperatingSystem.IsLinux() || !Directory.Exists(parent))
        {
            return 0;
        }

        int removed = 0;
        try
        {
            foreach (string folder in Directory.EnumerateDirectories(parent, prefix + "*"))
            {
                if (IsOwnDirectory(folder) && IsStale(folder, prefix))
                {
                    Delete(folder);
                    removed += Directory.Exists(folder) ? 0 : 1;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary folder that cannot be read, or a folder that went meanwhile: the next sweep goes on.
        }

        return removed;
    }

    private static bool IsStale(string folder, string prefix)
    {
        // PREFIX then PID-xxxxxx, or (an older workbook's) PREFIX then xxxxxx: any other name is not one we give.
        string rest = Path.GetFileName(folder)[prefix.Length..];
        int? owner = null;
        if (rest.Length > 7 && rest[^7] == '-' &&
            int.TryParse(rest.AsSpan(0, rest.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            owner = pid;
        }
        else if (rest.Length != 6 || rest.Contains('-'))
        {
            return false;
        }

        string? chromiumLock = new FileInfo(Path.Combine(folder, "SingletonLock")).LinkTarget;
        if (owner is null && chromiumLock is null)
        {
            return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > UnlockedGrace;
        }

        return (owner is null || IsGone(owner.Value)) && (chromiumLock is null || LockHolderIsGone(chromiumLock));
    }

    /// <summary>Whether chromium's lock target <c>HOST-PID</c> names a process of this host that is gone. A lock of
    /// another host, or one not of that form, proves nothing: the folder stays.</summary>
    private static bool LockHolderIsGone(string target)
    {
        int dash = target.LastIndexOf('-');
        return dash > 0 &&
               int.TryParse(target.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) &&
               string.Equals(FirstLabel(target[..dash]), FirstLabel(Environment.MachineName), StringComparison.OrdinalIgnoreCase) &&
               IsGone(pid);
    }

    /// <summary>Whether process <paramref name="pid"/> has exited (it is missing from /proc, or a zombie that only
    /// waits to be reaped).</summary>
    private static bool IsGone(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        try
        {
            // /proc/PID/stat: "pid (comm) state ...", where comm may hold spaces and parentheses.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is 'Z' or 'X';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static string FirstLabel(string host) => host.Split('.')[0];

    private static void MakeWritable(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            var real = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
            foreach (string dir in Directory.EnumerateDirectories(folder, "*", real).Prepend(folder))
            {
                File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | owner);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The second attempt reports nothing either; a later sweep tries again.
        }
    }

    /// <summary>Whether <paramref name="path"/> itself (not a link's target) is a directory owned by this process's
    /// effective user.</summary>
    private static bool IsOwnDirectory(string path) =>
        FileEntry.Of(path) is { Kind: FileEntryKind.Directory, OwnerId: { } owner } && owner == EffectiveUserId();

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint EffectiveUserId();
}
