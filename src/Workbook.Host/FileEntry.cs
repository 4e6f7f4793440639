using System.Runtime.InteropServices;

namespace Workbook.Host;

/// <summary>What a directory entry is, read with <c>lstat</c> semantics: a symbolic link is reported as a link, never
/// as what it points to, and a named pipe, socket or device as itself (.NET's <see cref="FileInfo"/> reports a FIFO
/// as an ordinary file, and opening one for reading blocks).</summary>
internal enum FileEntryKind
{
    /// <summary>Nothing at that path.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (dangling or not).</summary>
    SymbolicLink,

    /// <summary>A named pipe (FIFO).</summary>
    Fifo,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>A character or block device.</summary>
    Device,

    /// <summary>Anything else, or an entry that could not be read.</summary>
    Other,
}

/// <summary>One directory entry as <c>lstat</c> sees it.</summary>
/// <param name="Kind">What the entry is.</param>
/// <param name="Size">Its size in bytes (meaningful for regular files).</param>
/// <param name="OwnerId">Its owner's user id, or null where the system does not say.</param>
internal readonly record struct FileEntry(FileEntryKind Kind, long Size, uint? OwnerId)
{
    /// <summary>The entry at <paramref name="path"/> itself (a link is not followed, also when the path ends with a
    /// separator). On Linux this is the
    /// <c>statx</c> system call with <c>AT_SYMLINK_NOFOLLOW</c>; elsewhere .NET's attributes, which cannot tell pipes
    /// and devices from files.</summary>
    public static FileEntry Of(string path)
    {
        // "link/" would name the link's target: the entry is the path without its ending separator.
        path = Path.TrimEndingDirectorySeparator(path);
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return OfLinux(path);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                // An old C library without statx: fall through.
            }
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return new FileEntry(FileEntryKind.SymbolicLink, 0, null);
        }

        if (Directory.Exists(path))
        {
            return new FileEntry(FileEntryKind.Directory, 0, null);
        }

        return info.Exists ? new FileEntry(FileEntryKind.Regular, info.Length, null) : new FileEntry(FileEntryKind.Missing, 0, null);
    }

    private static FileEntry OfLinux(string path)
    {
        // struct statx is the same on every Linux architecture: stx_mask at 0, stx_uid at 20, stx_mode at 28,
        // stx_size at 40.
        const int atFdCwd = -100, atSymlinkNoFollow = 0x100;
        const uint statxType = 0x1, statxUid = 0x8, statxSize = 0x200;
        const int enoent = 2, enotdir = 20;
        var buffer = new byte[256];
        if (Statx(atFdCwd, path, atSymlinkNoFollow, statxType | statxUid | statxSize, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return new FileEntry(errno is enoent or enotdir ? FileEntryKind.Missing : FileEntryKind.Other, 0, null);
        }

        uint mask = BitConverter.ToUInt32(buffer, 0);
        int mode = BitConverter.ToUInt16(buffer, 28);
        var kind = (mask & statxType) == 0 ? FileEntryKind.Other : (mode & 0xF000) switch
        {
            0x8000 => FileEntryKind.Regular,
            0x4000 => FileEntryKind.Directory,
            0xA000 => FileEntryKind.SymbolicLink,
            0x1000 => FileEntryKind.Fifo,
            0xC000 => FileEntryKind.Socket,
            0x2000 or 0x6000 => FileEntryKind.Device,
            _ => FileEntryKind.Other,
        };
        long size = (mask & statxSize) != 0 ? BitConverter.ToInt64(buffer, 40) : 0;
        uint? owner = (mask & statxUid) != 0 ? BitConverter.ToUInt32(buffer, 20) : null;
        return new FileEntry(kind, size, owner);
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
