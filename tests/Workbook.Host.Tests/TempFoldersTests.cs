using System.Diagnostics;

namespace Workbook.Host.Tests;

/// <summary>The workbook's temporary folders: a sweep removes ours whose process is gone, and nothing else.</summary>
public sealed class TempFoldersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-tempfolders-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Host => Environment.MachineName;

    private static int Me => Environment.ProcessId;

    /// <summary>The id of a process that ran and is gone.</summary>
    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    /// <summary>A folder in the test's folder holding a file, and chromium's lock when one is given.</summary>
    private string Folder(string name, string? chromiumLock = null)
    {
        string path = Path.Combine(_dir, name);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "Local State"), "{}");
        if (chromiumLock is not null)
        {
            File.CreateSymbolicLink(Path.Combine(path, "SingletonLock"), chromiumLock);
        }

        return path;
    }

    [FactOnLinux]
    public void A_sweep_removes_the_profiles_whose_chromium_or_owner_is_gone_and_keeps_the_live_ones()
    {
        int dead = DeadPid();
        string staleProfile = Folder("workbook-chromium-AbCdEf", $"{Host}-{dead}");
        string deadOwner = Folder($"workbook-chromium-{dead}-GhIjKl");
        string deadOwnerDeadChromium = Folder($"workbook-chromium-{dead}-MnOpQr", $"{Host}-{dead}");
        string[] live =
        [
            Folder("workbook-chromium-StUvWx", $"{Host}-{Me}"),                 // its chromium runs
            Folder($"workbook-chromium-{Me}-YzAbCd"),                          // its owner runs
            Folder($"workbook-chromium-{Me}-EfGhIj", $"{Host}-{dead}"),        // its owner runs, chromium crashed
            Folder($"workbook-chromium-{dead}-KlMnOp", $"{Host}-{Me}"),        // its chromium still runs
            Folder("workbook-chromium-QrStUv", $"elsewhere-{dead}"),           // another host's chromium
            Folder("workbook-chromium-WxYzAb", "not a lock"),
            Folder("workbook-chromium-life-CdEfGh", $"{Host}-{dead}"),         // not a name we give
            Folder($"workbook-submission-{dead}-IjKlMn"),                      // another prefix
        ];

        Assert.Equal(3, TempFolders.Sweep(_dir, "workbook-chromium-"));

        Assert.False(Directory.Exists(staleProfile));
        Assert.False(Directory.Exists(deadOwner));
        Assert.False(Directory.Exists(deadOwnerDeadChromium));
        Assert.All(live, folder => Assert.True(Directory.Exists(folder), folder));
    }

    [FactOnLinux]
    public void A_folder_without_owner_or_lock_is_removed_only_once_it_is_old()
    {
        string old = Folder("workbook-chromium-OldOne");
        string young = Folder("workbook-chromium-NewOne");
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow - TempFolders.UnlockedGrace - TimeSpan.FromMinutes(1));

        Assert.Equal(1, TempFolders.Sweep(_dir, "workbook-chromium-"));

        Assert.False(Directory.Exists(old));
        Assert.True(Directory.Exists(young));
    }

    [FactOnLinux]
    public void A_sweep_never_follows_a_link_out_of_the_temporary_folder()
    {
        int dead = DeadPid();
        string outside = Folder("outside");
        string elsewhere = Folder($"elsewhere-{dead}-AbCdEf", $"{Host}-{dead}");
        string stale = Folder($"workbook-chromium-{dead}-GhIjKl");
        Directory.CreateSymbolicLink(Path.Combine(stale, "Default"), outside);
        File.CreateSymbolicLink(Path.Combine(stale, "Preferences"), Path.Combine(outside, "Local State"));
        string link = Path.Combine(_dir, $"workbook-chromium-{dead}-MnOpQr");
        Directory.CreateSymbolicLink(link, elsewhere);

        Assert.Equal(1, TempFolders.Sweep(_dir, "workbook-chromium-"));

        Assert.False(Directory.Exists(stale));
        Assert.True(File.Exists(Path.Combine(outside, "Local State")));
        Assert.NotNull(new DirectoryInfo(link).LinkTarget);
        Assert.True(File.Exists(Path.Combine(elsewhere, "Local State")));
    }

    [FactAsRootOnLinux]
    public void A_stale_folder_of_another_user_is_left_alone()
    {
        int dead = DeadPid();
        string theirs = Folder($"workbook-chromium-{dead}-AbCdEf", $"{Host}-{dead}");
        var (code, _, stderr) = ExternalClient.Run("chown", ["-R", "65534:65534", theirs], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, stderr);

        Assert.Equal(0, TempFolders.Sweep(_dir, "workbook-chromium-"));

        Assert.True(Directory.Exists(theirs));
    }

    [Theory]
    [InlineData("chromium-")]
    [InlineData("workbook-")]
    [InlineData("workbook-x/../")]
    [InlineData("workbook-*")]
    public void Only_a_workbook_prefix_can_be_swept(string prefix)
    {
        Assert.Equal("prefix", Assert.Throws<ArgumentException>(() => TempFolders.Sweep(_dir, prefix)).ParamName);
    }

    [FactOnLinux]
    public void A_created_folder_is_named_after_its_process_and_outlives_sweeps_until_deleted()
    {
        const string prefix = "workbook-tempfolders-create-";
        string folder = TempFolders.Create(prefix);
        try
        {
            Assert.StartsWith($"{prefix}{Me}-", Path.GetFileName(folder));
            Assert.Equal(Path.GetFullPath(Path.GetTempPath()), Path.GetDirectoryName(folder) + Path.DirectorySeparatorChar);

            TempFolders.Sweep(Path.GetTempPath(), prefix);

            Assert.True(Directory.Exists(folder));
        }
        finally
        {
            TempFolders.Delete(folder);
        }

        Assert.False(Directory.Exists(folder));
    }

    [FactOnLinux]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Delete_removes_read_only_folders_and_never_what_a_link_points_to()
    {
        string outside = Folder("outside");
        string folder = Folder("workbook-delete-AbCdEf");
        string locked = Path.Combine(folder, "locked");
        Directory.CreateDirectory(locked);
        File.WriteAllText(Path.Combine(locked, "answer.txt"), "42");
        Directory.CreateSymbolicLink(Path.Combine(folder, "out"), outside);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        TempFolders.Delete(folder);
        TempFolders.Delete(folder);   // gone already: nothing to do, nothing thrown

        Assert.False(Directory.Exists(folder));
        Assert.True(File.Exists(Path.Combine(outside, "Local State")));
    }
}

/// <summary>A fact about Linux's temporary folders (read through /proc and statx); skipped elsewhere.</summary>
public sealed class FactOnLinuxAttribute : FactAttribute
{
    public FactOnLinuxAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "sweeps temporary folders only on Linux; skipped";
        }
    }
}

/// <summary>A fact that gives a folder to another user, which only root can do; skipped otherwise.</summary>
public sealed class FactAsRootOnLinuxAttribute : FactAttribute
{
    public FactAsRootOnLinuxAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Skip = "needs root on Linux to give a folder to another user; skipped";
        }
    }
}
