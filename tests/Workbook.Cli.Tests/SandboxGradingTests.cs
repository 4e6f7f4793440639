using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Workbook.Cli.Tests;

/// <summary><c>grade</c> in the bubblewrap sandbox, against submissions that attack the grader: network, another
/// submission graded beside them, a fork bomb, an output flood, a memory hog, a process left behind. Each gets exactly
/// its expected grades, and no feedback shows a hidden test.</summary>
public sealed partial class SandboxGradingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-sandbox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Source => Path.Combine(CliRunner.Root, "notebooks", "homework", "hw01_entropy-and-log-softmax.ipynb");

    private static string Fixtures(string name) =>
        Path.Combine(CliRunner.Root, "tests", "Workbook.Host.Tests", "Grading", "Fixtures", name);

    private static string[] Submissions(string name) =>
        Directory.GetFiles(Fixtures(name), "*.ipynb").Order(StringComparer.Ordinal).ToArray();

    /// <summary>The lines of the source's hidden tests (between the markers) that appear nowhere else in the source
    /// (a hidden reference implementation may share a line such as <c>double h = 0;</c> with the answers).</summary>
    private static List<string> HiddenTestLines()
    {
        var cells = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Source))!["cells"]!.AsArray()
            .Select(c => string.Concat(c!["source"]!.AsArray().Select(l => l!.GetValue<string>())))
            .ToList();
        string outside = string.Join("\n", cells.Select(c => HiddenBlock().Replace(c, "")));
        var hidden = cells
            .SelectMany(c => HiddenBlock().Matches(c))
            .SelectMany(m => m.Groups[1].Value.Split('\n').Select(l => l.Trim()))
            .Where(l => l.Length > 12 && !outside.Contains(l, StringComparison.Ordinal))
            .ToList();

        Assert.True(hidden.Count >= 5, "the source has too few hidden test lines to look for");
        return hidden;
    }

    private static void AssertNoHiddenTests(string outDir)
    {
        var hidden = HiddenTestLines();
        var files = Directory.GetFiles(Path.Combine(outDir, "feedback"));
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            string feedback = AllText(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file)));
            Assert.All(hidden, line => Assert.DoesNotContain(line, feedback));
        }
    }

    /// <summary>Every string in a JSON document, joined: a notebook's sources and outputs as plain text.</summary>
    private static string AllText(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => string.Concat(o.Select(p => AllText(p.Value))),
        System.Text.Json.Nodes.JsonArray a => string.Concat(a.Select(AllText)),
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue(out string? s) => s,
        _ => "",
    };

    /// <summary>Processes on this machine whose command line contains <paramref name="marker"/>.</summary>
    private static List<int> ProcessesWith(string marker) =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(n => n!.All(char.IsDigit))
            .Where(n =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{n}/cmdline").Replace('\0', ' ').Contains(marker, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    private static string Feedback(string outDir, string student) =>
        AllText(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "feedback", student + ".ipynb"))));

    [FactNeedsSandbox]
    public void Network_memory_output_flood_and_a_process_left_behind_get_exactly_their_grades_in_the_sandbox()
    {
        string outDir = Path.Combine(_dir, "out");
        // The submissions' copies live two levels below the output folder, where the process left behind aims.
        string temp = Path.Combine(outDir, "t");
        Directory.CreateDirectory(temp);
        if (!OperatingSystem.IsWindows())
        {
            // As /tmp is: every user may enter (the sandbox's own user, when the tests run as root).
            foreach (string dir in (string[])[_dir, outDir, temp])
            {
                File.SetUnixFileMode(dir, (UnixFileMode)0x1ED);   // 0755
            }
        }

        // A service on the grader's own machine that the network attack tries to reach.
        using var listener = new TcpListener(IPAddress.Loopback, 47613);
        listener.Start();

        var r = CliRunner.Run(_dir, new Dictionary<string, string> { ["TMPDIR"] = temp },
            ["grade", "--assignment", Source, .. Submissions("hw01-sandbox"), "--out", outDir, "--cell-timeout", "40",
             "--parallel", "2"]);
        var finished = DateTime.UtcNow;

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.DoesNotContain("without the sandbox", r.StdErr);
        string grades = File.ReadAllText(Path.Combine(outDir, "grades.csv"));
        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures("hw01-sandbox"), "expected-grades.csv")), grades);
        AssertNoHiddenTests(outDir);

        Assert.False(listener.Pending(), "a sandboxed cell connected to the grader's machine");
        Assert.Contains("network: unreachable", Feedback(outDir, "network"));

        var hog = HogSize().Match(Feedback(outDir, "memory-hog"));
        Assert.True(hog.Success, "the memory hog's cell did not report where it stopped");
        Assert.InRange(int.Parse(hog.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 2048 + 1024);

        string flood = Feedback(outDir, "output-flood");
        Assert.Contains("[output cut: this cell's output reached the grader's limit of 64 KiB; the rest is not recorded]", flood);
        Assert.Contains("OutputLimitError: the cell's outputs exceeded 16 MiB", flood);
        Assert.InRange(new FileInfo(Path.Combine(outDir, "feedback", "output-flood.ipynb")).Length, 1, 1L << 20);

        // The process left behind would append to grades.csv 8 s after its cell ran: it is gone with its sandbox.
        Assert.Empty(ProcessesWith("left-behind-forged"));
        var wait = finished + TimeSpan.FromSeconds(10) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }

        Assert.Equal(grades, File.ReadAllText(Path.Combine(outDir, "grades.csv")));
    }

    [FactNeedsSandbox]
    public void A_fork_bomb_is_held_to_the_sandbox_process_limit_and_ends_with_it()
    {
        string outDir = Path.Combine(_dir, "out");
        var started = DateTime.UtcNow;
        var r = CliRunner.Run(_dir, ["grade", "--assignment", Source, .. Submissions("hw01-fork-bomb"), "--out", outDir,
            "--cell-timeout", "10"]);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures("hw01-fork-bomb"), "expected-grades.csv")),
            File.ReadAllText(Path.Combine(outDir, "grades.csv")));
        AssertNoHiddenTests(outDir);
        Assert.Empty(ProcessesWith("b | b &"));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(3), "grading a fork bomb took over 3 minutes");
    }

    [FactNeedsSandbox]
    public void A_snooper_graded_in_parallel_sees_nothing_of_the_submission_beside_it()
    {
        string outDir = Path.Combine(_dir, "out");
        var r = CliRunner.Run(_dir, ["grade", "--assignment", Source, .. Submissions("hw01-snoop"), "--out", outDir,
            "--cell-timeout", "30", "--parallel", "2"]);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures("hw01-snoop"), "expected-grades.csv")),
            File.ReadAllText(Path.Combine(outDir, "grades.csv")));
        AssertNoHiddenTests(outDir);
        string snooper = Feedback(outDir, "snooper");
        Assert.Contains("/submission", snooper);                 // the scan ran and printed what it found:
        Assert.Contains("process: ", snooper);                   // folders and the processes it can see
        Assert.DoesNotContain("victim", snooper);
        Assert.DoesNotContain("/tmp/workbook-submission-", snooper);   // its source names the prefix; its output must not
        Assert.DoesNotContain(Path.GetFileName(_dir), snooper);
        Assert.DoesNotContain(CliRunner.Root, snooper);          // not even the grader's own paths
    }

    [Fact]
    public void Without_bubblewrap_grade_and_check_stop_with_exit_code_3_and_say_how_to_install_it()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty-path")).FullName;
        var path = new Dictionary<string, string> { ["PATH"] = empty };
        string outDir = Path.Combine(_dir, "out");

        var grade = CliRunner.Run(_dir, path, "grade", "--assignment", Source,
            Path.Combine(Fixtures("hw01"), "solution.ipynb"), "--out", outDir);
        var check = CliRunner.Run(_dir, path, "check", Path.Combine(Fixtures("hw01"), "solution.ipynb"));

        foreach (var r in new[] { grade, check })
        {
            Assert.Equal(3, r.ExitCode);
            Assert.Contains("nothing was graded", r.StdErr);
            Assert.Contains("apt-get install bubblewrap", r.StdErr);
            Assert.Contains("--no-sandbox", r.StdErr);
        }

        Assert.False(File.Exists(Path.Combine(outDir, "grades.csv")), "grades.csv was written");
    }

    [Fact]
    public void No_sandbox_grades_without_bubblewrap_and_says_what_it_gives_up()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty-path")).FullName;
        string outDir = Path.Combine(_dir, "out");

        var r = CliRunner.Run(_dir, new Dictionary<string, string> { ["PATH"] = empty }, "grade", "--assignment", Source,
            Path.Combine(Fixtures("hw01"), "solution.ipynb"), "--out", outDir, "--no-sandbox");

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("warning: student code runs without the sandbox (--no-sandbox)", r.StdErr);
        Assert.Contains("use the network", r.StdErr);
        Assert.Contains("solution,10,10,100", File.ReadAllLines(Path.Combine(outDir, "totals.csv")));
    }

    [GeneratedRegex(@"memory hog: stopped after (\d+) MiB")]
    private static partial Regex HogSize();

    [GeneratedRegex(@"BEGIN HIDDEN TESTS\n(.*?)// END HIDDEN TESTS", RegexOptions.Singleline)]
    private static partial Regex HiddenBlock();
}
