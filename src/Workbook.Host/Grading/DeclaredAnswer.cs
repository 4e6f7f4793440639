using System.Text.Json.Nodes;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Grading;

/// <summary>Whether a declared answer is one the tests must reject or one they must accept.</summary>
public enum DeclaredAnswerKind
{
    /// <summary>A mistake a student makes: it must lose every point of each test cell in its <c>must_fail</c>.</summary>
    Wrong,

    /// <summary>A correct answer written differently from the solution: it must earn every point of every test.</summary>
    Right,
}

/// <summary>An answer the instructor declares next to the solution, to test the tests: a code cell of the source with
/// <c>metadata.workbook.declared_answer</c> = <c>{"replaces": GRADE_ID, "kind": "wrong" | "right",
/// "must_fail": [TEST_GRADE_ID, ...], "why": TEXT}</c> and no nbgrader block. Its source is the whole cell a student
/// would hand in for the solution cell it replaces. <see cref="AssignmentSource.Load"/> takes these cells out of the
/// document, so they never reach the handout, the graded notebook or the feedback.</summary>
/// <param name="Name">The cell's id, which names the answer in what <c>assign</c> reports.</param>
/// <param name="Replaces">The grade_id of the solution cell this answer is handed in for.</param>
/// <param name="Kind">Wrong (must fail) or right (must pass).</param>
/// <param name="MustFail">For a wrong answer, the grade_ids of the test cells whose points it must lose; empty for a
/// right answer, which must earn every point of every test cell.</param>
/// <param name="Why">The mistake (or the other way of writing it), in the instructor's words.</param>
/// <param name="Source">The answer cell's source.</param>
public sealed record DeclaredAnswer(string Name, string Replaces, DeclaredAnswerKind Kind, IReadOnlyList<string> MustFail,
    string Why, string Source)
{
    /// <summary>The cell metadata key that holds the workbook's own settings (nbgrader ignores it).</summary>
    public const string MetadataKey = "workbook";

    /// <summary>The key, under <see cref="MetadataKey"/>, of a declared answer.</summary>
    public const string DeclaredAnswerKey = "declared_answer";

    /// <summary>True when <paramref name="cell"/> declares an answer (whether or not the declaration is valid).</summary>
    public static bool IsDeclared(NotebookCell cell) =>
        cell.Metadata[MetadataKey] is JsonObject w && w.ContainsKey(DeclaredAnswerKey);

    /// <summary>Reads the declaration of <paramref name="cell"/>, or null when it declares none or is malformed (see
    /// <see cref="Problems"/>).</summary>
    public static DeclaredAnswer? Of(NotebookCell cell)
    {
        if (cell.Metadata[MetadataKey] is not JsonObject w || w[DeclaredAnswerKey] is not JsonObject d)
        {
            return null;
        }

        DeclaredAnswerKind? kind = Text(d, "kind") switch
        {
            "wrong" => DeclaredAnswerKind.Wrong,
            "right" => DeclaredAnswerKind.Right,
            _ => null,
        };
        if (Text(d, "replaces") is not { } replaces || kind is not { } k)
        {
            return null;
        }

        var mustFail = d["must_fail"] is JsonArray a
            ? a.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s : "").ToList()
            : [];
        return new DeclaredAnswer(cell.Id, replaces, k, mustFail, Text(d, "why") ?? "", cell.Source);
    }

    /// <summary>Every rule the declared answers of <paramref name="document"/> break, each naming its cell: a
    /// declaration is an object with <c>replaces</c> naming a code solution cell, <c>kind</c> <c>wrong</c> or
    /// <c>right</c>, a non-empty <c>why</c>; a wrong answer's <c>must_fail</c> is a non-empty list of test cells'
    /// grade_ids, a right answer has none; the cell is a code cell with an id of its own and no nbgrader block.</summary>
    public static IReadOnlyList<string> Problems(IpynbDocument document)
    {
        var solutions = new Dictionary<string, NotebookCell>(StringComparer.Ordinal);
        var tests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in document.Cells.Where(c => !IsDeclared(c)))
        {
            if (NbgraderCellInfo.Of(cell) is { GradeId: { } gid } info)
            {
                if (info.Solution)
                {
                    solutions.TryAdd(gid, cell);
                }
                else if (info.IsTest)
                {
                    tests.Add(gid);
                }
            }
        }

        var problems = new List<string>();
        foreach (var cell in document.Cells.Where(IsDeclared))
        {
            string where = $"cell {cell.Index + 1} (declared answer '{cell.Id}', `{AssignmentSource.Describe(cell)}`)";
            if (cell.Metadata[MetadataKey]![DeclaredAnswerKey] is not JsonObject d)
            {
                problems.Add($"{where}: {MetadataKey}.{DeclaredAnswerKey} must be an object");
                continue;
            }

            if (cell.Metadata[NbgraderCellInfo.MetadataKey] is not null)
            {
                problems.Add($"{where}: a declared answer must carry no nbgrader block (nbgrader would treat it as part of the assignment)");
            }

            if (!cell.IsCode)
            {
                problems.Add($"{where}: a declared answer must be a code cell, not {cell.CellType}");
            }

            if (cell.IdWasMissing)
            {
                problems.Add($"{where}: a declared answer needs a cell id (nbformat 4.5 'id'), which names it in reports");
            }

            string? replaces = Text(d, "replaces");
            if (replaces is null)
            {
                problems.Add($"{where}: 'replaces' must name the grade_id of the solution cell it is handed in for");
            }
            else if (!solutions.TryGetValue(replaces, out var solution))
            {
                problems.Add($"{where}: replaces '{replaces}', which is not the grade_id of a solution cell");
            }
            else if (!solution.IsCode)
            {
                problems.Add($"{where}: replaces '{replaces}', a {solution.CellType} cell graded by hand; only code answers can be declared");
            }

            string? kind = Text(d, "kind");
            if (kind is not ("wrong" or "right"))
            {
                problems.Add($"{where}: 'kind' is {(kind is null ? "missing" : $"'{kind}'")}, expected 'wrong' or 'right'");
            }

            if (Text(d, "why") is null)
            {
                problems.Add($"{where}: 'why' must say what the answer does (the mistake, or how it differs from the solution)");
            }

            var mustFail = d["must_fail"];
            if (kind == "right" && mustFail is JsonArray { Count: > 0 })
            {
                problems.Add($"{where}: a right answer has no 'must_fail' (it must earn every point of every test)");
            }
            else if (kind == "wrong")
            {
                if (mustFail is not JsonArray { Count: > 0 } list)
                {
                    problems.Add($"{where}: a wrong answer needs 'must_fail', a non-empty list of the test cells whose points it must lose");
                }
                else
                {
                    foreach (var item in list)
                    {
                        string? gid = item is JsonValue v && v.TryGetValue(out string? s) ? s : null;
                        if (gid is null || !tests.Contains(gid))
                        {
                            problems.Add($"{where}: must_fail names '{gid ?? item?.ToJsonString()}', which is not the grade_id of a test cell");
                        }
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>Splits <paramref name="document"/> into the document without the declared answers' cells (a new
    /// document; the given one is unchanged) and the declared answers, in order.</summary>
    public static (IpynbDocument Document, IReadOnlyList<DeclaredAnswer> Answers) Separate(IpynbDocument document)
    {
        var answers = document.Cells.Where(IsDeclared).Select(c => Of(c)).OfType<DeclaredAnswer>().ToList();
        if (!document.Cells.Any(IsDeclared))
        {
            return (document, answers);
        }

        var root = document.ToJsonObject();
        var cells = (JsonArray)root["cells"]!;
        for (int i = document.Cells.Count - 1; i >= 0; i--)
        {
            if (IsDeclared(document.Cells[i]))
            {
                cells.RemoveAt(i);
            }
        }

        return (IpynbDocument.FromJson(root, "assignment source"), answers);
    }

    /// <summary>The notebook a student who wrote this answer hands in: the handout of <paramref name="source"/>, with
    /// this answer in the cell it replaces and the instructor's solution in every other solution cell.</summary>
    public IpynbDocument CreateSubmission(AssignmentSource source)
    {
        var submission = source.CreateStudentVersion();
        for (int i = 0; i < submission.Cells.Count; i++)
        {
            var cell = submission.Cells[i];
            if (NbgraderCellInfo.Of(cell) is { Solution: true } info)
            {
                string text = info.GradeId == Replaces ? Source : source.Document.Cells[i].Source;
                cell.Json["source"] = IpynbDocument.ToSourceLines(text);
            }
        }

        return submission;
    }

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
