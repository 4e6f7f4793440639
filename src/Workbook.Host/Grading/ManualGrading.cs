using System.Globalization;
using System.Text;

namespace Workbook.Host.Grading;

/// <summary>An instructor's score for one hand-graded answer (a row of the <c>grade --manual</c> file).</summary>
/// <param name="Student">The student id, as <c>grade</c> derives it from the submission's name.</param>
/// <param name="GradeId">The grade_id of a manually graded cell of the assignment.</param>
/// <param name="Points">Points given, in [0, the cell's points].</param>
/// <param name="Comment">The instructor's comment (may be empty); shown in grades.csv and the feedback.</param>
public sealed record ManualScore(string Student, string GradeId, double Points, string Comment);

/// <summary>Answers graded by hand: nbgrader's manually graded cells (<c>grade: true, solution: true</c>, usually
/// markdown). <c>grade</c> cannot score them, so it lists each as <see cref="NeedsReview"/> with 0 of its points until
/// the instructor gives a score in a CSV passed with <c>grade --manual FILE</c>; the score then counts and the status
/// becomes <see cref="Reviewed"/>.</summary>
/// <remarks>The scores file has the header <c>student,grade_id,points[,comment]</c> and one row per score, quoted as
/// RFC 4180 CSV (a comment with a comma goes in double quotes). A row that names an unknown student or grade_id,
/// repeats a (student, grade_id) pair, or gives points that are not a number in [0, max] is an error that names the
/// file's line; no grading starts until the file is valid. A missing row leaves that answer <c>needs review</c>.</remarks>
public sealed class ManualGrading
{
    /// <summary>Status of a hand-graded answer that has no score yet (0 points).</summary>
    public const CellStatus NeedsReview = CellStatus.NeedsReview;

    /// <summary>Status of a hand-graded answer that the instructor scored.</summary>
    public const CellStatus Reviewed = CellStatus.Reviewed;

    /// <summary>The header a scores file starts with (the comment column is optional).</summary>
    public const string Header = "student,grade_id,points,comment";

    private readonly Dictionary<(string Student, string GradeId), ManualScore> _scores;

    private ManualGrading(Dictionary<(string, string), ManualScore> scores) => _scores = scores;

    /// <summary>No scores: every hand-graded answer needs review.</summary>
    public static ManualGrading None { get; } = new([]);

    /// <summary>The scores given, in file order.</summary>
    public IReadOnlyCollection<ManualScore> Scores => _scores.Values;

    /// <summary>True for a cell graded by hand: graded and written by the student (nbgrader's manual-grade cell).</summary>
    public static bool IsManual(NbgraderCellInfo? info) => info is { Grade: true, Solution: true };

    /// <summary>The grade_id and points of every hand-graded cell of <paramref name="source"/>, in notebook order.</summary>
    public static IReadOnlyList<(string GradeId, double Points)> ManualCells(AssignmentSource source) =>
        source.Document.Cells
            .Select(NbgraderCellInfo.Of)
            .Where(i => IsManual(i) && i!.GradeId is not null)
            .Select(i => (i!.GradeId!, i.Points ?? 0))
            .ToList();

    /// <summary>Reads and checks a scores file against the assignment and the students being graded.</summary>
    /// <exception cref="ManualScoresException">The file cannot be read or a row is invalid; the message names the
    /// file and the line.</exception>
    public static ManualGrading Load(string path, AssignmentSource source, IReadOnlyCollection<string> students)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManualScoresException($"{path}: cannot be read: {e.Message}");
        }

        return Parse(text, Path.GetFileName(path), source, students);
    }

    /// <summary>Parses and checks the text of a scores file (see the class remarks).</summary>
    /// <exception cref="ManualScoresException">A row is invalid; the message names <paramref name="name"/> and the line.</exception>
    public static ManualGrading Parse(string text, string name, AssignmentSource source, IReadOnlyCollection<string> students)
    {
        var cells = ManualCells(source).ToDictionary(c => c.GradeId, c => c.Points, StringComparer.Ordinal);
        var known = new HashSet<string>(students, StringComparer.Ordinal);
        var scores = new Dictionary<(string, string), ManualScore>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        int headerLine = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerLine < 0)
        {
            throw new ManualScoresException($"{name}: the file is empty; expected the header {Header}");
        }

        var header = SplitCsv(lines[headerLine], name, headerLine + 1).Select(h => h.Trim()).ToArray();
        if (!(header is ["student", "grade_id", "points"] or ["student", "grade_id", "points", "comment"]))
        {
            throw new ManualScoresException(
                $"{name}: line {headerLine + 1}: the header is \"{lines[headerLine].Trim()}\", expected \"{Header}\" (comment optional)");
        }

        for (int i = headerLine + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            string where = $"{name}: line {i + 1}";
            var fields = SplitCsv(lines[i], name, i + 1);
            if (fields.Count < 3 || fields.Count > header.Length)
            {
                throw new ManualScoresException($"{where}: {fields.Count} field(s), expected {(header.Length == 3 ? "3" : "3 or 4")} (student,grade_id,points[,comment])");
            }

            string student = fields[0].Trim(), gradeId = fields[1].Trim(), pointsText = fields[2].Trim();
            if (!known.Contains(student))
            {
                throw new ManualScoresException($"{where}: unknown student '{student}'; the submissions are {List(known)}");
            }

            if (!cells.TryGetValue(gradeId, out double max))
            {
                throw new ManualScoresException(cells.Count == 0
                    ? $"{where}: grade_id '{gradeId}' is not graded by hand; the assignment has no hand-graded cells"
                    : $"{where}: grade_id '{gradeId}' is not a hand-graded cell; expected one of {List(cells.Keys)}");
            }

            if (!double.TryParse(pointsText, NumberStyles.Float, CultureInfo.InvariantCulture, out double points) ||
                !(points >= 0 && points <= max))
            {
                throw new ManualScoresException(
                    $"{where}: points '{pointsText}' for {student}/{gradeId} is not a number in [0, {Grader.Number(max)}]");
            }

            var score = new ManualScore(student, gradeId, points, fields.Count > 3 ? fields[3].Trim() : "");
            if (!scores.TryAdd((student, gradeId), score))
            {
                throw new ManualScoresException($"{where}: a second score for {student}/{gradeId}");
            }
        }

        return new ManualGrading(scores);
    }

    /// <summary>The grades.csv rows of <paramref name="student"/>'s hand-graded answers: the instructor's score when
    /// one was given, otherwise <see cref="NeedsReview"/> with 0 points. A submission that is not a notebook gets
    /// <see cref="CellStatus.Invalid"/> rows instead.</summary>
    public IReadOnlyList<GradeRow> Rows(AssignmentSource source, string student, bool invalid = false) =>
        ManualCells(source).Select(c =>
        {
            if (invalid)
            {
                return new GradeRow(student, c.GradeId, 0, c.Points, CellStatus.Invalid, "not a notebook: nothing to review");
            }

            return _scores.TryGetValue((student, c.GradeId), out var s)
                ? new GradeRow(student, c.GradeId, s.Points, c.Points, Reviewed, s.Comment)
                : new GradeRow(student, c.GradeId, 0, c.Points, NeedsReview,
                    "graded by hand: give a score with grade --manual FILE");
        }).ToList();

    /// <summary>The line the feedback notebook shows under a hand-graded answer.</summary>
    public static string FeedbackText(GradeRow row) => row.Status == Reviewed
        ? $"✎ **{row.GradeId}**: reviewed, {Grader.Number(row.Points)} / {Grader.Number(row.MaxPoints)} points" +
          (row.Message.Length > 0 ? $" — {row.Message}" : "")
        : $"✎ **{row.GradeId}**: {row.Status.ToWord()}, {Grader.Number(row.Points)} / {Grader.Number(row.MaxPoints)} points so far (graded by hand)";

    private static string List(IEnumerable<string> items)
    {
        var all = items.Order(StringComparer.Ordinal).ToList();
        return all.Count == 0 ? "(none)" : string.Join(", ", all.Take(10)) + (all.Count > 10 ? ", …" : "");
    }

    private static List<string> SplitCsv(string line, string name, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.ToString().Trim().Length == 0 && !wasQuoted)
            {
                field.Clear();
                quoted = wasQuoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else
            {
                field.Append(ch);
            }
        }

        if (quoted)
        {
            throw new ManualScoresException($"{name}: line {lineNumber}: a quoted field is not closed");
        }

        fields.Add(field.ToString());
        return fields;
    }
}

/// <summary>A <c>grade --manual</c> scores file that cannot be used; the message names the file and the line.</summary>
public sealed class ManualScoresException(string message) : Exception(message);
