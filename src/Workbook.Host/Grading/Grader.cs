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
    /// grade_id) and <c>feedback/STUDENT.ipynb</c> under <paramref name="outDir"/>. A broken submission never stops
    /// the others.</summary>
    /// <remarks>Hand-graded answers get the scores in <paramref name="manual"/>, or status
    /// <see cref="ManualGrading.NeedsReview"/> with 0 points (see <see cref="ManualGrading"/>).</remarks>
    /// <exception cref="ArgumentException">Two submissions have the same student id.</exception>
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
            throw new ArgumentException($"two submissions have the student id '{duplicate.Key}': " +
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
                var (grade, feedback) = await GradeOneAsync(source, id, path, options, launcher, ct, manual);
                feedback?.Save(Path.Combine(feedbackDir, id + ".ipynb"));
                grades[i] = grade;
                progress?.Report(grade);
            });

        var ordered = grades.OrderBy(g => g.Student, StringComparer.Ordinal).ToList();
        WriteCsv(Path.Combine(outDir, "grades.csv"), ordered.SelectMany(g => g.Rows));
        LmsExports.WriteAll(outDir, ordered);
        return ordered;
    }

    /// <summary>The student id of a submission path: a folder's name, or a file's name without extension.</summary>
    public static string StudentId(string submission)
    {
        string full = Path.GetFullPath(submission).TrimEnd(Path.DirectorySeparatorChar);
        return Directory.Exists(full) ? Path.GetFileName(full) : Path.GetFileNameWithoutExtension(full);
    }

    /// <summary>Grades one submission; returns its grade and its feedback notebook (null when it is not a notebook).</summary>
    public static async Task<(SubmissionGrade Grade, IpynbDocument? Feedback)> GradeOneAsync(AssignmentSource source,
        string student, string path, GradingOptions options, WorkerLauncher launcher, CancellationToken cancellationToken,
        ManualGrading? manual = null)
    {
        manual ??= ManualGrading.None;
        var tests = source.Document.Cells
            .Select(c => (Cell: c, Info: NbgraderCellInfo.Of(c)))
            .Where(t => t.Info?.IsTest == true)
            .ToList();

        IpynbDocument submission;
        string? folder = Directory.Exists(path) ? path : null;
        try
        {
            string notebookPath = folder is null ? path : FindNotebook(folder, source.Name);
            submission = IpynbDocument.Load(notebookPath);
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException)
        {
            string message = OneLine(e.Message.Replace(path, Path.GetFileName(path), StringComparison.Ordinal));
            var rows = tests.Select(t => new GradeRow(student, t.Info!.GradeId!, 0, t.Info.Points!.Value,
                CellStatus.Invalid, message)).ToList();
            rows.AddRange(manual.Rows(source, student, invalid: true));
            rows.Add(new GradeRow(student, FlagsRow, 0, 0, CellStatus.Flagged, "not a notebook: " + message));
            return (new SubmissionGrade(student, Sort(rows), ["not a notebook: " + message]), null);
        }

        var prepared = SubmissionPreparer.Prepare(source, submission);
        var nonces = options.Canary
            ? tests.ToDictionary(t => t.Cell.Id, _ => Canary.NewNonce(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var toRun = options.Canary ? Canary.Apply(prepared.Notebook, nonces) : prepared.Notebook;
        // Removed below, however the run ends; after a killed grader, by the next one's sweep (TempFolders).
        string work = TempFolders.Create("workbook-submission-");
        IsolatedRun run;
        try
        {
            // The submission's own copy, alone in a fresh folder that becomes the worker's current directory.
            if (folder is not null)
            {
                foreach (string file in Directory.EnumerateFiles(folder))
                {
                    File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
                }
            }
            else
            {
                File.Copy(path, Path.Combine(work, Path.GetFileName(path)));
            }

            run = await IsolatedRunner.RunAsync(toRun, work, options, launcher, cancellationToken);
        }
        finally
        {
            TempFolders.Delete(work);
        }

        var gradeRows = new List<GradeRow>();
        var judged = new Dictionary<string, IsolatedCellResult>(run.Cells, StringComparer.Ordinal);
        foreach (var (cell, info) in tests)
        {
            double max = info!.Points!.Value;
            var result = run.Cells.GetValueOrDefault(cell.Id) ?? new IsolatedCellResult(
                run.StopReason ?? CellStatus.Crashed,
                run.StopReason == CellStatus.Timeout
                    ? "not run: the submission reached its time limit"
                    : "not run: the grading process died before this cell",
                null);
            if (nonces.TryGetValue(cell.Id, out string? nonce) && run.Cells.ContainsKey(cell.Id))
            {
                // The test ran in its canary form: only its own canary failure is a pass.
                result = Canary.Judge(result, nonce);
            }

            gradeRows.Add(new GradeRow(student, info.GradeId!, result.Status == CellStatus.Passed ? max : 0, max,
                result.Status, OneLine(result.Message)));
            judged[cell.Id] = result;
        }

        gradeRows.AddRange(manual.Rows(source, student));
        if (prepared.Flags.Count > 0)
        {
            gradeRows.Add(new GradeRow(student, FlagsRow, 0, 0, CellStatus.Flagged, string.Join("; ", prepared.Flags)));
        }

        var grade = new SubmissionGrade(student, Sort(gradeRows), prepared.Flags);
        return (grade, Feedback.Create(source, prepared.Notebook, run with { Cells = judged }, grade));
    }

    /// <summary>Writes rows as CSV (RFC 4180 quoting, invariant numbers, LF line ends).</summary>
    public static void WriteCsv(string path, IEnumerable<GradeRow> rows)
    {
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in rows)
        {
            sb.AppendJoin(',', Csv(r.Student), Csv(r.GradeId), Number(r.Points), Number(r.MaxPoints), Csv(r.Status.ToWord()),
                Csv(r.Message)).Append('\n');
        }

        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    /// <summary>A number as written in the CSV.</summary>
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static List<GradeRow> Sort(IEnumerable<GradeRow> rows) =>
        rows.OrderBy(r => r.GradeId, StringComparer.Ordinal).ToList();

    private static string FindNotebook(string folder, string assignment)
    {
        string named = Path.Combine(folder, assignment + ".ipynb");
        if (File.Exists(named))
        {
            return named;
        }

        var all = Directory.GetFiles(folder, "*.ipynb");
        return all.Length == 1
            ? all[0]
            : throw new FileNotFoundException(
                $"folder {Path.GetFileName(folder)} holds {all.Length} notebooks and none named {assignment}.ipynb");
    }

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static string OneLine(string s) =>
        string.Join(' ', s.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>Builds a student's feedback notebook: their notebook as graded and executed, each test cell shown as
/// the student saw it (hidden tests are not revealed) and followed by its result.</summary>
internal static class Feedback
{
    /// <summary>Creates the feedback notebook.</summary>
    public static IpynbDocument Create(AssignmentSource source, IpynbDocument prepared, IsolatedRun run, SubmissionGrade grade)
    {
        var student = source.CreateStudentVersion();
        var visible = student.Cells.ToDictionary(c => c.Id, c => c.Source, StringComparer.Ordinal);
        var root = prepared.ToJsonObject();
        var cells = new JsonArray();
        var summary = new StringBuilder($"# Feedback for {grade.Student}\n\n**Score: {Grader.Number(grade.Points)} / {Grader.Number(grade.MaxPoints)}**\n");
        foreach (string flag in grade.Flags)
        {
            summary.Append("\n- ⚠ ").Append(flag);
        }

        cells.Add(Markdown("feedback-summary", summary.ToString()));
        foreach (var cell in prepared.Cells)
        {
            if (cell.Metadata[SubmissionPreparer.InsertedKey] is not null)
            {
                continue;
            }

            var json = (JsonObject)cell.Json.DeepClone();
            var info = NbgraderCellInfo.Of(cell);
            if (cell.IsCode && run.Cells.TryGetValue(cell.Id, out var result))
            {
                json["outputs"] = result.Outputs?.DeepClone() ?? new JsonArray();
            }

            if (info?.IsTest == true)
            {
                json["source"] = IpynbDocument.ToSourceLines(visible.GetValueOrDefault(cell.Id, ""));
                json["outputs"] = new JsonArray();
                cells.Add(json);
                var row = grade.Rows.First(r => r.GradeId == info.GradeId);
                string text = row.Status == CellStatus.Passed
                    ? $"✔ **{row.GradeId}**: passed, {Grader.Number(row.Points)} / {Grader.Number(row.MaxPoints)} points"
                    : $"✘ **{row.GradeId}**: {row.Status.ToWord()}, 0 / {Grader.Number(row.MaxPoints)} points — {row.Message}";
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
