using Workbook.Host.Grading;

namespace Workbook.Host.Tests.Grading;

/// <summary>The intake copies regular files only, never through a link, never opening a pipe or a device, and within
/// its limits; each thing left out is a flag.</summary>
public sealed class SubmissionIntakeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-intake-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Work()
    {
        string work = Path.Combine(_dir, "work-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        return work;
    }

    private string Folder(params (string Name, string Text)[] files)
    {
        string folder = Path.Combine(_dir, "sub-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, name))!);
            File.WriteAllText(Path.Combine(folder, name), text);
        }

        return folder;
    }

    [Fact]
    public void A_folder_is_copied_without_its_links_pipes_or_devices_and_each_is_flagged()
    {
        string secret = Path.Combine(_dir, "secret.txt");
        File.WriteAllText(secret, "secret");
        string folder = Folder(("hw.ipynb", "{}"), ("data/x.csv", "1,2"));
        File.CreateSymbolicLink(Path.Combine(folder, "secret.txt"), secret);
        File.CreateSymbolicLink(Path.Combine(folder, "dangling"), Path.Combine(_dir, "nowhere"));
        File.CreateSymbolicLink(Path.Combine(folder, "zero"), "/dev/zero");
        Directory.CreateSymbolicLink(Path.Combine(folder, "up"), _dir);
        Assert.Equal(0, Mkfifo(Path.Combine(folder, "pipe"), 0x1B6));
        string work = Work();

        var result = SubmissionIntake.Copy(folder, "hw", work, new IntakeLimits());

        Assert.Null(result.Refusal);
        Assert.Equal(Path.Combine(work, "hw.ipynb"), result.NotebookPath);
        Assert.Equal("1,2", File.ReadAllText(Path.Combine(work, "data", "x.csv")));
        Assert.Equal(["data", "hw.ipynb"], Directory.GetFileSystemEntries(work).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string name in (string[])["secret.txt", "dangling", "zero", "up"])
        {
            Assert.Contains($"'{name}' left out: it is a symbolic link (links are never followed)", result.Flags);
        }

        Assert.Contains("'pipe' left out: it is a named pipe", result.Flags);
    }

    [Fact]
    public void A_notebook_that_is_a_link_or_a_pipe_is_refused()
    {
        string target = Path.Combine(_dir, "source.ipynb");
        File.WriteAllText(target, "{}");
        string link = Path.Combine(_dir, "link.ipynb");
        File.CreateSymbolicLink(link, target);
        string pipe = Path.Combine(_dir, "pipe.ipynb");
        Assert.Equal(0, Mkfifo(pipe, 0x1B6));

        Assert.Contains("symbolic link", SubmissionIntake.Copy(link, "hw", Work(), new IntakeLimits()).Refusal);
        Assert.Contains("symbolic link", SubmissionIntake.Copy(link + "/", "hw", Work(), new IntakeLimits()).Refusal);
        Assert.Contains("named pipe", SubmissionIntake.Copy(pipe, "hw", Work(), new IntakeLimits()).Refusal);
    }

    [Fact]
    public void Bytes_files_and_depth_are_capped_with_a_flag()
    {
        string folder = Folder(("hw.ipynb", "{}"), ("a.txt", new string('a', 600)), ("b.txt", "b"), ("c.txt", "c"),
            ("d1/d2/d3/deep.txt", "deep"));
        string work = Work();

        var result = SubmissionIntake.Copy(folder, "hw", work, new IntakeLimits(MaxBytes: 500, MaxDepth: 2));

        Assert.Contains(result.Flags, f => f.StartsWith("'a.txt' (600 bytes) left out", StringComparison.Ordinal));
        Assert.Contains("folder 'd1/d2/d3' left out: more than 2 levels deep", result.Flags);
        Assert.False(File.Exists(Path.Combine(work, "a.txt")));
        Assert.Equal(["b.txt", "c.txt", "hw.ipynb"],
            Directory.GetFiles(work, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        string cut = Work();
        var few = SubmissionIntake.Copy(folder, "hw", cut, new IntakeLimits(MaxFiles: 2));
        Assert.Contains("only 2 files and folders of the submission were copied", few.Flags);
        Assert.Equal(Path.Combine(cut, "hw.ipynb"), few.NotebookPath);   // the notebook is copied first
        Assert.Equal(2, Directory.GetFileSystemEntries(cut, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void A_folder_without_one_notebook_is_refused_and_a_notebook_over_the_limit_too()
    {
        Assert.Contains("holds 0 notebooks", SubmissionIntake.Copy(Folder(("x.txt", "x")), "hw", Work(), new IntakeLimits()).Refusal);
        Assert.Contains("holds 2 notebooks", SubmissionIntake.Copy(Folder(("a.ipynb", "{}"), ("b.ipynb", "{}")), "hw", Work(), new IntakeLimits()).Refusal);
        string big = Path.Combine(_dir, "big.ipynb");
        File.WriteAllText(big, new string(' ', 2000));
        Assert.Contains("over the limit", SubmissionIntake.Copy(big, "hw", Work(), new IntakeLimits(MaxBytes: 1000)).Refusal);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int Mkfifo([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int mode);
}
