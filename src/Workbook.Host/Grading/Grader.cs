using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Workbook.Host.Execution;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Grading;

/// <summary>One row of <c>grades.csv</c>.</summary>
/// <param name="Student">The student id: the submission's file name without extension, or its folder's name.</param>
/// <param name="GradeId">The test cell's grade_id (or <c>_flags</c> for the integrity row).</param>
/// <param name="Points">Points awarded.</param>
/// <param name="MaxPoints">Points the cell is worth.</param>
/// <param name="Status">How the cell ended (written as its <see cref="CellStatusWords.ToWord"/> word).</param>
/// <param name="Message">Why the points were not awarded, or the integrity findings; empty when passed.</param>
public sealed record GradeRow(string Student, string GradeId, double Points, double MaxPoints, CellStatus Status, string Message);

/// <summary>The grade of one submission.</summary>
/// <param name="Student">The student id.</param>
/// <param name="Rows">One row per test cell, plus a <c>_flags</c> row when something was flagged.</param>
/// <param name="Flags">Integrity findings.</param>
public sealed record SubmissionGrade(string Student, IReadOnlyList<GradeRow> Rows, IReadOnlyList<string> Flags)
{
    /// <summary>Points awarded.</summary>
    public double Points => Rows.Sum(r => r.Points);

    /// <summary>Points available.</summary>
    public double MaxPoints => Rows.Sum(r => r.MaxPoints);

    /// <summary>False when the submission's name is not a usable student id (see <see cref="Grader.StudentIdProblem"/>):
    /// its rows say why, <see cref="Student"/> shows the name with control characters replaced, and no file is
    /// named after it.</summary>
    public bool HasValidId { get; init; } = true;
}

/// <summary>Grades submissions against an assignment source (what <c>workbook grade</c> does).</summary>
public static class Grader
{
    /// <summary>The grade_id of the row that carries a submission's integrity findings.</summary>
    public const string FlagsRow = "_flags";

    /// <summary>The columns of <c>grades.csv</c>, in order.</summary>
    public const string CsvHeader = "student,grade_id,points,max_points,status,message";

    /// <summary>Grades every submission (a notebook file, or a folder holding one) in its own worker processes, up
    /// to <see cref="GradingOptions.MaxParallel"/> at once; writes <c>grades.csv</c> (rows sorted by student and
    /// grade_id) and <c>feedback/STUDENT.ipynb</c> under <paramref name="outDir"/>. Each submission is graded inside
    /// its own failure boundary: whatever it holds (links, pipes, malformed JSON, an id that is not a file name), it
    /// becomes that student's rows, never an exception that stops the others.</summary>
    /// <remarks>Hand-graded answers get the scores in <paramref name="manual"/>, or status
    /// <see cref="ManualGrading.NeedsReview"/> with 0 points (see <see cref="ManualGrading"/>).</remarks>
    /// <exception cref="ArgumentException">Two submissions have the same student id.</exception>
    /// <exception cref="WorkerStartException">A worker could not start: the tool's failure, never a grade.</exception>
    public static async Task<IReadOnlyList<SubmissionGrade>> GradeAsync(AssignmentSource source,
        IReadOnlyList<string> submissions, string outDir, GradingOptions options, WorkerLauncher launcher,
        IProgress<SubmissionGrade>? progress = null, CancellationToken cancellationToken = default,
        ManualGrading? manual = null)
    {
        var students = submissions
            .Select(s => (Id: StudentId(s), Path: Path.GetFullPath(s)))
            .ToList();
        var duplicate = students.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two submissions have the student id '{StudentIds.Shown(duplicate.Key)}': " +
                                        string.Join(", ", duplicate.Select(d => d.Path)), nameof(submissions));
        }

        string feedbackDir = Path.Combine(outDir, "feedback");
        Directory.CreateDirectory(feedbackDir);
        var grades = new SubmissionGrade[students.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, students.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallel), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (id, path) = students[i];
                if (StudentIds.Problem(id) is { } idProblem)
                {
                    // No file is named after an id that is not a file name: the row says why, nothing else is written.
                    grades[i] = Refused(source, StudentIds.Shown(id), idProblem, manual ?? ManualGrading.None) with { HasValidId = false };
                }
                else
                {
                    var (grade, feedback) = await GradeOneAsync(source, id, path, options, launcher, ct, manual);
                    feedback?.Save(Path.Combine(feedbackDir, id + ".ipynb"));
                    grades[i] = grade;
                }

                progress?.Report(grades[i]);
            });

        var ordered = grades.OrderBy(g => g.Student, StringComparer.Ordinal).ToList();
        WriteCsv(Path.Combine(outDir, "grades.csv"), ordered.SelectMany(g => g.Rows));
        LmsExports.WriteAll(outDir, ordered);
        return ordered;
    }

    /// <summary>The student id of a submission path: a folder's name, or a file's name without extension. A link
    /// is not followed to decide which (a link is named like a file).</summary>
    public static string StudentId(string submission)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(submission));
        return FileEntry.Of(full).Kind == FileEntryKind.Directory
            ? Path.GetFileName(full)
            : Path.GetFileNameWithoutExtension(full);
    }

    /// <summary>True when something is at <paramref name="submission"/> (a link is not followed: a dangling link
    /// exists, and is graded as an invalid submission).</summary>
    public static bool SubmissionExists(string submission) =>
        FileEntry.Of(Path.GetFullPath(submission)).Kind != FileEntryKind.Missing;

    /// <summary>Why <paramref name="id"/> cannot be a student id, or null when it can: an id becomes a file name
    /// (<c>feedback/ID.ipynb</c>, <c>gradescope/ID/results.json</c>), so it must be non-empty, at most 200 bytes in UTF-8,
    /// not dots only (<c>.</c>, <c>..</c>), and hold no path separator or control character.</summary>
    public static string? StudentIdProblem(string id) => StudentIds.Problem(id);

    /// <summary>Grades one submission; returns its grade and its feedback notebook (null when nothing was run).
    /// Nothing the submission holds makes this throw, except a worker that cannot start (the tool's failure) and
    /// cancellation.</summary>
    /// <remarks><c>partGraded</c>, when given, is called with each test cell's row as soon as the test has run (for
    /// results that must survive a kill, such as Gradescope's); the returned grade holds the same rows.</remarks>
    public static async Task<(SubmissionGrade Grade, IpynbDocument? Feedback)> GradeOneAsync(AssignmentSource source,
        string student, string path, GradingOptions options, WorkerLauncher launcher, CancellationToken cancellationToken,
        ManualGrading? manual = null, Action<GradeRow>? partGraded = null)
    {
        manual ??= ManualGrading.None;
        // Removed below, however the run ends; after a killed grader, by the next one's sweep (TempFolders).
        string work = TempFolders.Create("workbook-submission-");
        try
        {
            var intake = SubmissionIntake.Copy(path, source.Name, work, options.Intake);
            if (intake.Refusal is { } refusal)
            {
                return (Refused(source, student, refusal, manual, intake.Flags), null);
            }

            IpynbDocument submission;
            try
            {
                submission = IpynbDocument.Load(intake.NotebookPath!);
            }
            catch (NotebookFormatException e)
            {
                string message = e.Message.StartsWith(e.Origin, StringComparison.Ordinal)
                    ? "the notebook" + e.Message[e.Origin.Length..]
                    : e.Message;
                return (Refused(source, student, message, manual, intake.Flags), null);
            }

            return await GradeNotebookAsync(source, student, submission, work, intake.Flags, options, launcher,
                cancellationToken, manual, partGraded);
        }
        catch (Exception e) when (e is not (WorkerStartException or OperationCanceledException or OutOfMemoryException))
        {
            // The boundary: a submission the grader cannot handle is that student's row, never the class's failure.
            // The grader's own paths (its copy, the submission's place) stay out of what the student is shown.
            string why = TextLines.FirstLine(e.Message).Replace(work, "<copy>", StringComparison.Ordinal)
                .Replace(path, "<submission>", StringComparison.Ordinal);
            return (Refused(source, student, $"the grader could not grade this submission ({e.GetType().Name}: {why})", manual), null);
        }
        finally
        {
            TempFolders.Delete(work);
        }
    }

    private static async Task<(SubmissionGrade Grade, IpynbDocument? Feedback)> GradeNotebookAsync(AssignmentSource source,
        string student, IpynbDocument submission, string work, IReadOnlyList<string> intakeFlags, GradingOptions options,
        WorkerLauncher launcher, CancellationToken cancellationToken, ManualGrading manual, Action<GradeRow>? partGraded)
    {
        var prepared = SubmissionPreparer.Prepare(source, submission);
        var flags = intakeFlags.Concat(prepared.Flags).ToList();
        var testIds = prepared.TestCellIds;
        var tests = source.Document.Cells
            .Select(c => (Cell: c, Info: NbgraderCellInfo.Of(c)))
            .Where(t => t.Info?.IsTest == true)
            .Select(t => (t.Cell, t.Info, RunId: testIds[t.Cell.Id]))
            .ToList();
        var nonces = options.Canary
            ? tests.ToDictionary(t => t.RunId, _ => Canary.NewNonce(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var toRun = options.Canary ? Canary.Apply(prepared.Notebook, nonces) : prepared.Notebook;
        var byRunId = tests.ToDictionary(t => t.RunId, StringComparer.Ordinal);
        var run = await IsolatedRunner.RunAsync(toRun, work, options, launcher, cancellationToken,
            partGraded is null ? null : (id, result) =>
            {
                if (byRunId.TryGetValue(id, out var t))
                {
                    partGraded(Row(t.Cell, t.Info!, Judge(t.Cell, id, result)));
                }
            });

        var gradeRows = new List<GradeRow>();
        var judged = new Dictionary<string, IsolatedCellResult>(run.Cells, StringComparer.Ordinal);
        foreach (var (cell, info, runId) in tests)
        {
            var result = run.Cells.TryGetValue(runId, out var ran)
                ? Judge(cell, runId, ran)
                : new IsolatedCellResult(
                    run.StopReason ?? CellStatus.Crashed,
                    run.StopReason == CellStatus.Timeout
                        ? "not run: the submission reached its time limit"
                        : "not run: the grading process died before this cell",
                    null);
            gradeRows.Add(Row(cell, info!, result));
            judged[runId] = result;
        }

        gradeRows.AddRange(manual.Rows(source, student));
        if (flags.Count > 0)
        {
            gradeRows.Add(new GradeRow(student, FlagsRow, 0, 0, CellStatus.Flagged, Escaping.OneLine(string.Join("; ", flags))));
        }

        var grade = new SubmissionGrade(student, Sort(gradeRows), flags);
        return (grade, Feedback.Create(source, prepared, run with { Cells = judged }, grade));

        // A test that ran, judged: in its canary form only its own canary failure is a pass, and a hidden test's
        // compiler message is replaced.
        IsolatedCellResult Judge(NotebookCell cell, string runId, IsolatedCellResult result)
        {
            if (nonces.TryGetValue(runId, out string? nonce))
            {
                result = Canary.Judge(result, nonce);
            }

            return result.Status != CellStatus.Passed && HiddenTests.Mask(source, cell, result.Message) is { } masked
                ? result with { Message = masked }
                : result;
        }

        GradeRow Row(NotebookCell cell, NbgraderCellInfo info, IsolatedCellResult result)
        {
            double max = info.Points!.Value;
            return new GradeRow(student, info.GradeId!, result.Status == CellStatus.Passed ? max : 0, max,
                result.Status, Escaping.OneLine(result.Message));
        }
    }

    /// <summary>The grade of a submission that could not be run: every test <c>invalid</c> with
    /// <paramref name="reason"/>, and a <c>_flags</c> row saying so.</summary>
    private static SubmissionGrade Refused(AssignmentSource source, string student, string reason, ManualGrading manual,
        IReadOnlyList<string>? flags = null)
    {
        string message = Escaping.OneLine(reason);
        var rows = source.Document.Cells
            .Select(NbgraderCellInfo.Of)
            .Where(info => info?.IsTest == true)
            .Select(info => new GradeRow(student, info!.GradeId!, 0, info.Points!.Value, CellStatus.Invalid, message))
            .ToList();
        rows.AddRange(manual.Rows(source, student, invalid: true));
        var all = (flags ?? []).Prepend("not graded: " + message).ToList();
        rows.Add(new GradeRow(student, FlagsRow, 0, 0, CellStatus.Flagged, Escaping.OneLine(string.Join("; ", all))));
        return new SubmissionGrade(student, Sort(rows), all);
    }

    /// <summary>Writes rows as CSV (RFC 4180 quoting, formulas neutralised (<see cref="Escaping.CsvField"/>),
    /// invariant numbers, LF line ends).</summary>
    public static void WriteCsv(string path, IEnumerable<GradeRow> rows)
    {
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in rows)
        {
            sb.AppendJoin(',', Escaping.CsvField(r.Student), Escaping.CsvField(r.GradeId), Number(r.Points),
                Number(r.MaxPoints), Escaping.CsvField(r.Status.ToWord()), Escaping.CsvField(r.Message)).Append('\n');
        }

        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    /// <summary>A number as written in the CSV.</summary>
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static List<GradeRow> Sort(IEnumerable<GradeRow> rows) =>
        rows.OrderBy(r => r.GradeId, StringComparer.Ordinal).ToList();
}

/// <summary>Builds a student's feedback notebook: their notebook as graded and executed, each test cell shown as
/// the student saw it (hidden tests are not revealed) and followed by its result. What the student wrote is shown as
/// data: their text in the grader's markdown escaped, their markdown answers without raw HTML or links, and their
/// outputs reduced to text and images (<see cref="FeedbackOutputs"/>), so opening the feedback runs nothing of
/// theirs.</summary>
internal static class Feedback
{
    /// <summary>Creates the feedback notebook.</summary>
    public static IpynbDocument Create(AssignmentSource source, PreparedSubmission prepared, IsolatedRun run, SubmissionGrade grade)
    {
        var student = source.CreateStudentVersion();
        var visible = student.Cells.ToDictionary(c => c.Id, c => c.Source, StringComparer.Ordinal);
        var root = prepared.Notebook.ToJsonObject();
        var cells = new JsonArray();
        var summary = new StringBuilder($"# Feedback for {Escaping.Markdown(grade.Student)}\n\n**Score: {Grader.Number(grade.Points)} / {Grader.Number(grade.MaxPoints)}**\n");
        foreach (string flag in grade.Flags)
        {
            summary.Append("\n- ⚠ ").Append(Escaping.Markdown(flag));
        }

        cells.Add(Markdown("feedback-summary", summary.ToString()));
        foreach (var cell in prepared.Notebook.Cells)
        {
            if (prepared.Inserted.Contains(cell.Id))
            {
                continue;
            }

            var json = (JsonObject)cell.Json.DeepClone();
            var from = prepared.SourceCells.GetValueOrDefault(cell.Id);
            var info = from is null ? null : NbgraderCellInfo.Of(from);
            if (cell.IsCode)
            {
                json["outputs"] = run.Cells.TryGetValue(cell.Id, out var result)
                    ? FeedbackOutputs.Filter(result.Outputs)
                    : new JsonArray();
            }
            else if (info?.Solution == true)
            {
                json["source"] = IpynbDocument.ToSourceLines(Escaping.MarkdownAnswer(cell.Source));
            }

            json.Remove("attachments");
            if (info?.IsTest == true)
            {
                json["source"] = IpynbDocument.ToSourceLines(visible.GetValueOrDefault(from!.Id, ""));
                json["outputs"] = new JsonArray();
                cells.Add(json);
                var row = grade.Rows.First(r => r.GradeId == info.GradeId);
                string text = row.Status == CellStatus.Passed
                    ? $"✔ **{Escaping.Markdown(row.GradeId)}**: passed, {Grader.Number(row.Points)} / {Grader.Number(row.MaxPoints)} points"
                    : $"✘ **{Escaping.Markdown(row.GradeId)}**: {row.Status.ToWord()}, 0 / {Grader.Number(row.MaxPoints)} points — {Escaping.Markdown(row.Message)}";
                cells.Add(Markdown("feedback-" + cell.Id, text));
                continue;
            }

            if (ManualGrading.IsManual(info) && grade.Rows.FirstOrDefault(r => r.GradeId == info!.GradeId) is { } manualRow)
            {
                cells.Add(json);
                cells.Add(Markdown("feedback-" + cell.Id, ManualGrading.FeedbackText(manualRow)));
                continue;
            }

            cells.Add(json);
        }

        root["cells"] = cells;
        return IpynbDocument.FromJson(root, "feedback");
    }

    private static JsonObject Markdown(string id, string text) => new()
    {
        ["cell_type"] = "markdown",
        ["id"] = id,
        ["metadata"] = new JsonObject(),
        ["source"] = IpynbDocument.ToSourceLines(text),
    };
}
