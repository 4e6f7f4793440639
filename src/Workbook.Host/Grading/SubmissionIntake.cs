namespace Workbook.Host.Grading;

/// <summary>How much of a handed-in folder the grader copies.</summary>
/// <param name="MaxBytes">Bytes copied per submission in all (default 64 MiB); a file that would pass the limit is
/// left out, with a flag. A notebook over the limit is refused.</param>
/// <param name="MaxFiles">Files and folders copied per submission (default 1000); the rest are left out, with a flag.</param>
/// <param name="MaxDepth">Folder levels below the submission's own that are copied (default 8).</param>
internal sealed record IntakeLimits(long MaxBytes = 64L << 20, int MaxFiles = 1000, int MaxDepth = 8);

/// <summary>A submission copied into the grader's folder.</summary>
/// <param name="NotebookPath">The copy of the notebook to grade, or null when there is none.</param>
/// <param name="Refusal">Why the submission cannot be graded (one line, no path of the grader's), or null.</param>
/// <param name="Flags">What was left out and why (links, pipes, devices, files past the limits).</param>
internal sealed record IntakeResult(string? NotebookPath, string? Refusal, IReadOnlyList<string> Flags);

/// <summary>The first step of grading: copies a handed-in notebook, or a folder holding one, into a fresh folder of
/// the grader's. Everything in it is the student's, so only regular files are copied, each found by listing the
/// folder and checked with <c>lstat</c> (<see cref="FileEntry"/>) before it is opened: a symbolic link is never
/// followed (whether it points at <c>/etc/passwd</c>, a classmate's folder or the instructor's source), named pipes,
/// sockets and devices are never opened, and the bytes and files copied are capped. A notebook that is itself a link
/// is refused. Each thing left out is a flag, named by its place in the submission.</summary>
internal static class SubmissionIntake
{
    /// <summary>Copies <paramref name="submission"/> (a notebook file or a folder) into <paramref name="work"/>.
    /// In a folder the notebook is <c>ASSIGNMENT.ipynb</c> or else the only <c>.ipynb</c> at its top.</summary>
    public static IntakeResult Copy(string submission, string assignment, string work, IntakeLimits limits)
    {
        var entry = FileEntry.Of(submission);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(submission));
        switch (entry.Kind)
        {
            case FileEntryKind.Regular:
                if (entry.Size > limits.MaxBytes)
                {
                    return Refused($"the notebook is {Size(entry.Size)}, over the limit of {Size(limits.MaxBytes)}");
                }

                string copy = Path.Combine(work, SafeName(name));
                return CopyFile(submission, copy, limits.MaxBytes) is { } problem
                    ? Refused(problem)
                    : new IntakeResult(copy, null, []);
            case FileEntryKind.Directory:
                return CopyFolder(submission, assignment, work, limits);
            default:
                return Refused($"the submission is {Describe(entry.Kind)}, not a notebook or a folder");
        }
    }

    private static IntakeResult CopyFolder(string folder, string assignment, string work, IntakeLimits limits)
    {
        var flags = new List<string>();
        long bytes = 0;
        int files = 0;
        bool filesCut = false;
        var pending = new Stack<(string From, string To, string Shown, int Depth)>();
        pending.Push((folder, work, "", 0));
        while (pending.Count > 0)
        {
            var (from, to, shown, depth) = pending.Pop();
            IEnumerable<string> entries;
            try
            {
                // Notebooks first, so the limits never cut the notebook to grade.
                entries = Directory.EnumerateFileSystemEntries(from)
                    .OrderBy(e => e.EndsWith(".ipynb", StringComparison.Ordinal) ? 0 : 1)
                    .ThenBy(e => e, StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                flags.Add($"folder '{Shown(shown)}' could not be listed; left out");
                continue;
            }

            foreach (string path in entries)
            {
                string name = Path.GetFileName(path);
                string place = shown.Length == 0 ? name : shown + "/" + name;
                var entry = FileEntry.Of(path);
                switch (entry.Kind)
                {
                    case FileEntryKind.Regular when files >= limits.MaxFiles:
                        filesCut = true;
                        break;
                    case FileEntryKind.Regular when bytes + entry.Size > limits.MaxBytes:
                        flags.Add($"'{Shown(place)}' ({Size(entry.Size)}) left out: the submission's files may take {Size(limits.MaxBytes)} in all");
                        break;
                    case FileEntryKind.Regular:
                        if (CopyFile(path, Path.Combine(to, SafeName(name)), limits.MaxBytes - bytes) is { } problem)
                        {
                            flags.Add($"'{Shown(place)}' left out: {problem}");
                            break;
                        }

                        files++;
                        bytes += entry.Size;
                        break;
                    case FileEntryKind.Directory when depth + 1 > limits.MaxDepth:
                        flags.Add($"folder '{Shown(place)}' left out: more than {limits.MaxDepth} levels deep");
                        break;
                    case FileEntryKind.Directory when files >= limits.MaxFiles:
                        filesCut = true;
                        break;
                    case FileEntryKind.Directory:
                        // A folder counts as a file, so a submission of a million empty folders is cut short too.
                        files++;
                        string sub = Path.Combine(to, SafeName(name));
                        Directory.CreateDirectory(sub);
                        pending.Push((path, sub, place, depth + 1));
                        break;
                    case FileEntryKind.Missing:
                        // Removed while listed: nothing to copy.
                        break;
                    default:
                        flags.Add($"'{Shown(place)}' left out: it is {Describe(entry.Kind)}");
                        break;
                }
            }
        }

        if (filesCut)
        {
            flags.Add($"only {limits.MaxFiles} files and folders of the submission were copied");
        }

        string named = Path.Combine(work, assignment + ".ipynb");
        if (File.Exists(named) && FileEntry.Of(named).Kind == FileEntryKind.Regular)
        {
            return new IntakeResult(named, null, flags);
        }

        var notebooks = Directory.GetFiles(work, "*.ipynb");
        return notebooks.Length == 1
            ? new IntakeResult(notebooks[0], null, flags)
            : new IntakeResult(null,
                $"the folder holds {notebooks.Length} notebooks that could be read and none named {assignment}.ipynb", flags);
    }

    /// <summary>Copies one regular file (checked as such a moment before), reading at most <paramref name="budget"/>
    /// bytes; returns why it was not copied, or null.</summary>
    private static string? CopyFile(string from, string to, long budget)
    {
        try
        {
            using var input = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var output = new FileStream(to, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            var buffer = new byte[1 << 16];
            long copied = 0;
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                copied += read;
                if (copied > budget)
                {
                    output.Close();
                    File.Delete(to);
                    return "it grew past the size limit while it was copied";
                }

                output.Write(buffer, 0, read);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "it could not be read";
        }
    }

    private static IntakeResult Refused(string reason) => new(null, reason, []);

    private static string Describe(FileEntryKind kind) => kind switch
    {
        FileEntryKind.SymbolicLink => "a symbolic link (links are never followed)",
        FileEntryKind.Fifo => "a named pipe",
        FileEntryKind.Socket => "a socket",
        FileEntryKind.Device => "a device",
        FileEntryKind.Missing => "missing",
        _ => "not a regular file",
    };

    private static string Size(long bytes) =>
        bytes >= 1 << 20
            ? (bytes / (double)(1 << 20)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MiB"
            : bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes";

    /// <summary>A name from the submission as shown in a flag: printable, at most 80 characters.</summary>
    internal static string Shown(string name)
    {
        var chars = name.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray();
        return new string(chars) + (name.Length > 80 ? "..." : "");
    }

    /// <summary>The file name a copy gets: the entry's own name (one path segment, as a directory listing gives it).</summary>
    private static string SafeName(string name) =>
        name is "" or "." or ".." || name.Contains('/') || name.Contains('\\') ? "_" + Guid.NewGuid().ToString("N") : name;
}
