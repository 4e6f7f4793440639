using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbook.Host.Execution;

namespace Workbook.Host.Grading.Gradescope;

/// <summary>How student code ran in an autograder run.</summary>
internal enum IsolationMode
{
    /// <summary>The bubblewrap sandbox, as <c>grade</c> runs it.</summary>
    Sandbox,

    /// <summary>As the separate unprivileged user (<see cref="SeparateUserLauncher"/>): the container allows no sandbox.</summary>
    SeparateUser,

    /// <summary>As the grader's own user: neither was possible.</summary>
    Unconfined,
}

/// <summary>One submission graded on Gradescope (what <c>run_autograder</c> runs): finds the one notebook in the
/// submission, grades it with the same engine as <c>grade</c>, and writes Gradescope's <c>results.json</c> again as
/// each part finishes, so a run stopped at Gradescope's time limit still shows the parts that finished. Visible tests
/// show their output to the student at once, tests with hidden parts only after the grades are published; the mode
/// and the flags go in a test only instructors see. No student id is written.</summary>
internal static class AutograderRun
{
    /// <summary>The id the submission is graded under (Gradescope knows who it is; the results never say).</summary>
    public const string Student = "submission";

    /// <summary>Grades <paramref name="submissionFolder"/> and writes <paramref name="resultsPath"/>.</summary>
    /// <returns>The final results document.</returns>
    public static async Task<JsonObject> RunAsync(AssignmentSource source, string submissionFolder, string resultsPath,
        GradingOptions options, IsolationMode mode, string modeNote, WorkerLauncher launcher, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var tests = source.Document.Cells
            .Select(c => (Cell: c, Info: NbgraderCellInfo.Of(c)))
            .Where(t => t.Info?.IsTest == true)
            .ToList();
        var hidden = tests.Where(t => Regions.HiddenTests(t.Cell.Source).Length > 0).Select(t => t.Info!.GradeId!).ToHashSet(StringComparer.Ordinal);
        var finished = new Dictionary<string, GradeRow>(StringComparer.Ordinal);
        var gate = new object();

        var notebooks = FindNotebooks(submissionFolder, source.Name);
        if (notebooks.Count != 1)
        {
            string why = notebooks.Count == 0
                ? "No notebook (.ipynb) was found in your submission: upload your assignment notebook."
                : $"Your submission holds {notebooks.Count} notebooks ({string.Join(", ", notebooks.Select(n => Path.GetRelativePath(submissionFolder, n)).Take(5))}), " +
                  $"and none is named {source.Name}.ipynb: upload only your assignment notebook.";
            var refused = Results(source, tests.Select(t => new GradeRow(Student, t.Info!.GradeId!, 0, t.Info.Points!.Value,
                CellStatus.Invalid, why)).ToList(), hidden, [], mode, modeNote, clock.Elapsed, final: true, why);
            Write(resultsPath, refused);
            return refused;
        }

        // Before anything runs: every part listed, none finished.
        Write(resultsPath, Results(source, Pending(), hidden, [], mode, modeNote, clock.Elapsed, final: false));
        var (grade, _) = await Grader.GradeOneAsync(source, Student, notebooks[0], options, launcher, cancellationToken,
            partGraded: row =>
            {
                lock (gate)
                {
                    finished[row.GradeId] = row;
                    Write(resultsPath, Results(source, Pending(), hidden, [], mode, modeNote, clock.Elapsed, final: false));
                }
            });
        // Parts graded by hand are Gradescope's own manual questions, not the autograder's.
        var graded = grade.Rows.Where(r => r.GradeId != Grader.FlagsRow && r.Status is not (CellStatus.NeedsReview or CellStatus.Reviewed));
        var results = Results(source, graded.ToList(), hidden, grade.Flags,
            mode, modeNote, clock.Elapsed, final: true);
        lock (gate)
        {
            Write(resultsPath, results);
        }

        return results;

        List<GradeRow> Pending() => tests.Select(t => finished.GetValueOrDefault(t.Info!.GradeId!) ??
            new GradeRow(Student, t.Info!.GradeId!, 0, t.Info.Points!.Value, CellStatus.Timeout,
                "not graded: the autograder stopped before this part finished (time limit)")).ToList();
    }

    /// <summary>The notebooks of a submission folder: <c>ASSIGNMENT.ipynb</c> alone when it is there (at any depth),
    /// else every <c>.ipynb</c> outside checkpoint folders. Links are not followed.</summary>
    internal static IReadOnlyList<string> FindNotebooks(string folder, string assignment)
    {
        var found = new List<string>();
        var pending = new Stack<(string Path, int Depth)>();
        pending.Push((folder, 0));
        while (pending.Count > 0 && found.Count < 100)
        {
            var (dir, depth) = pending.Pop();
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(dir).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (string entry in entries)
            {
                var kind = FileEntry.Of(entry).Kind;
                string name = Path.GetFileName(entry);
                if (kind == FileEntryKind.Directory && depth < 4 && name != ".ipynb_checkpoints" && name != "__MACOSX")
                {
                    pending.Push((entry, depth + 1));
                }
                else if (kind == FileEntryKind.Regular && name.EndsWith(".ipynb", StringComparison.Ordinal) && !name.StartsWith("._", StringComparison.Ordinal))
                {
                    found.Add(entry);
                }
            }
        }

        var named = found.Where(f => Path.GetFileName(f) == assignment + ".ipynb").ToList();
        return (named.Count == 1 ? named : found).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Gradescope's results document (its autograder specification): the top-level <c>score</c>,
    /// <c>execution_time</c>, <c>output</c>, <c>output_format</c>, <c>visibility</c>, <c>stdout_visibility</c>, and
    /// one test per part (<c>name</c>, <c>score</c>, <c>max_score</c>, <c>status</c>, <c>output</c>,
    /// <c>output_format</c>, <c>visibility</c>), then the instructors' notes as a hidden test.</summary>
    internal static JsonObject Results(AssignmentSource source, IReadOnlyList<GradeRow> rows, IReadOnlySet<string> hidden,
        IReadOnlyList<string> flags, IsolationMode mode, string modeNote, TimeSpan elapsed, bool final, string? studentOutput = null)
    {
        var tests = new JsonArray();
        foreach (var r in rows)
        {
            tests.Add(LmsExports.GradescopeTest(r, hidden.Contains(r.GradeId) ? "after_published" : "visible"));
        }

        var notes = new StringBuilder()
            .Append("Student code ran ").Append(mode switch
            {
                IsolationMode.Sandbox => "in the bubblewrap sandbox (no network, no view of the grader's files or processes)",
                IsolationMode.SeparateUser => "as a separate unprivileged user (the container allows no sandbox): " + modeNote,
                _ => "unconfined, as the grader's own user: " + modeNote,
            }).Append('.');
        if (flags.Count > 0)
        {
            notes.Append("\nFlags: ").Append(string.Join("; ", flags));
        }

        if (!final)
        {
            notes.Append("\nGrading had not finished when this was written.");
        }

        tests.Add(new JsonObject
        {
            ["name"] = "Grader notes (instructors only)",
            ["status"] = "passed",
            ["output"] = notes.ToString(),
            ["output_format"] = "text",
            ["visibility"] = "hidden",
        });
        double score = rows.Sum(r => r.Points);
        double max = rows.Sum(r => r.MaxPoints);
        return new JsonObject
        {
            ["score"] = score,
            ["execution_time"] = (int)Math.Ceiling(elapsed.TotalSeconds),
            ["output"] = studentOutput ?? (final
                ? $"{source.Name}: {Grader.Number(score)} / {Grader.Number(max)} points from the tests run now."
                : "Grading did not finish in time; the parts below that finished are graded."),
            ["output_format"] = "text",
            ["visibility"] = "visible",
            ["stdout_visibility"] = "hidden",
            ["tests"] = tests,
        };
    }

    /// <summary>Writes the document whole (a temporary file, then a rename), so Gradescope never reads half of it.</summary>
    private static void Write(string path, JsonObject results)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }
}
