using System.Globalization;
using System.Text;

namespace Workbook.Host.Rendering;

/// <summary>Runs background work (the chromium that draws the charts' static images) at a low CPU priority, so that
/// it takes the CPU a reader's next cell leaves over instead of half of it.</summary>
/// <remarks>On Linux a process takes its nice value and its capability bounding set from the thread that starts it,
/// and so does every thread it starts. The work is therefore started through a small launcher script
/// (<see cref="WriteLauncher"/>) that lowers its own priority with <c>nice</c>, gives up the capability to raise a
/// priority again (CAP_SYS_NICE, which only root has) with <c>setpriv</c>, and then becomes the program: the program
/// and all it starts are born below and stay there, even as root, where chromium would otherwise set each new thread
/// back to the default priority. Lowering a priority needs no privilege; where the capability cannot be dropped (no
/// setpriv, or no privilege to drop it) it is not held either. The calling process and its threads keep their own
/// priority throughout. Elsewhere than Linux the program runs as it is.</remarks>
internal static class BackgroundPriority
{
    /// <summary>The nice value background work runs at, above the caller's (0 is the default, 19 the lowest
    /// priority).</summary>
    public const int Nice = 10;

    /// <summary>The launcher's file name in the folder it is written to.</summary>
    private const string LauncherName = "start-below";

    /// <summary>Writes a launcher for <paramref name="program"/> into <paramref name="folder"/> and returns its path:
    /// run with any arguments, it runs the program with the same arguments, environment and open files, as the same
    /// process, <see cref="Nice"/> below the caller. On other systems than Linux, returns the program itself.</summary>
    public static string WriteLauncher(string program, string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return program;
        }

        string quoted = ShellQuote(program);
        string nice = Nice.ToString(CultureInfo.InvariantCulture);
        string script =
            "#!/bin/sh\n" +
            "# Written by Workbook: runs the program below, as the same process (each step replaces itself with the next).\n" +
            "if setpriv --bounding-set -sys_nice true 2>/dev/null; then\n" +
            $"  exec nice -n {nice} setpriv --bounding-set -sys_nice -- {quoted} \"$@\"\n" +
            "fi\n" +
            $"exec nice -n {nice} {quoted} \"$@\"\n";
        string path = Path.Combine(folder, LauncherName);
        using (var file = new FileStream(path, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew,
                   Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
               }))
        {
            file.Write(Encoding.UTF8.GetBytes(script));
        }

        return path;
    }

    /// <summary>A word for /bin/sh that stands for <paramref name="text"/> exactly: single quotes, and each single
    /// quote inside written as <c>'\''</c>.</summary>
    internal static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The nice value of a process or thread, from its <c>stat</c> file in /proc, or null when it is gone.</summary>
    /// <remarks>The fields after the command, which may hold spaces and parentheses: "pid (comm) state ppid ...", so
    /// the nice value is the 17th.</remarks>
    internal static int? NiceOf(string procFolder)
    {
        try
        {
            string stat = File.ReadAllText(Path.Combine(procFolder, "stat"));
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 16 &&
                   int.TryParse(fields[16], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int nice)
                ? nice
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
