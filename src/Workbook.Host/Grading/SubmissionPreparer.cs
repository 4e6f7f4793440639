using System.Text.Json.Nodes;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Grading;

/// <summary>A submission made ready to grade: the notebook the worker runs, and what was found on the way.</summary>
/// <param name="Notebook">The notebook to run: the source's cells in the source's order, with the student's
/// answers in the solution cells, tests and locked cells (hidden tests included) restored from the source, the test
/// helpers run again before every test cell, and the student's own extra code cells kept in place. Every cell has an
/// id of the grader's (<c>wb-000</c>, <c>wb-001</c>, ...), whatever ids the student's cells carried.</param>
/// <param name="Flags">Integrity findings: edited or deleted locked and test cells, missing answers, suspicious code.</param>
/// <param name="SourceCells">For each cell of <paramref name="Notebook"/> that comes from the source (by the grader's
/// id), that source cell: which cells are tests, helpers and answers is decided here, from the instructor's source,
/// never from what a student's cell says of itself.</param>
/// <param name="Inserted">The grader's ids of the cells the grader added (the copies of the test helpers).</param>
internal sealed record PreparedSubmission(IpynbDocument Notebook, IReadOnlyList<string> Flags,
    IReadOnlyDictionary<string, NotebookCell> SourceCells, IReadOnlySet<string> Inserted)
{
    /// <summary>The grader's id of each test cell, keyed by the test cell's id in the source.</summary>
    public IReadOnlyDictionary<string, string> TestCellIds =>
        SourceCells.Where(p => NbgraderCellInfo.Of(p.Value)?.IsTest == true && !Inserted.Contains(p.Key))
            .ToDictionary(p => p.Value.Id, p => p.Key, StringComparer.Ordinal);
}

/// <summary>Builds the notebook a submission is graded with (see <see cref="PreparedSubmission"/>).</summary>
internal static class SubmissionPreparer
{
    /// <summary>Prepares <paramref name="submission"/> for grading against <paramref name="source"/>.</summary>
    public static PreparedSubmission Prepare(AssignmentSource source, IpynbDocument submission)
    {
        var sourceCells = source.Document.Cells;
        var student = source.CreateStudentVersion();
        var flags = new List<string>();

        // Match submission cells to source cells: by grade_id for nbgrader cells, by cell id otherwise.
        var byGradeId = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var cell in submission.Cells)
        {
            if (NbgraderCellInfo.Of(cell)?.GradeId is { } gid && !byGradeId.TryAdd(gid, cell.Index))
            {
                flags.Add($"grade_id '{SubmissionIntake.Shown(gid)}' appears in more than one cell; the first one is graded");
            }

            byId.TryAdd(cell.Id, cell.Index);
        }

        var match = new int?[sourceCells.Count];
        var matched = new HashSet<int>();
        for (int i = 0; i < sourceCells.Count; i++)
        {
            var info = NbgraderCellInfo.Of(sourceCells[i]);
            int? found = info?.GradeId is { } gid
                ? byGradeId.TryGetValue(gid, out int g) ? g : null
                : byId.TryGetValue(sourceCells[i].Id, out int c) ? c : null;
            if (found is { } f && matched.Add(f))
            {
                match[i] = f;
            }
        }

        // Student cells that match nothing stay, after the matched cell they followed.
        var extrasAfter = new Dictionary<int, List<NotebookCell>>();
        int anchor = -1;
        foreach (var cell in submission.Cells)
        {
            if (matched.Contains(cell.Index))
            {
                anchor = cell.Index;
            }
            else if (cell.IsCode && !string.IsNullOrWhiteSpace(cell.Source))
            {
                if (!extrasAfter.TryGetValue(anchor, out var list))
                {
                    extrasAfter[anchor] = list = [];
                }

                list.Add(cell);
            }
        }

        var helpers = sourceCells.Where(c => c.IsCode && c.Tags.Contains(NbgraderCellInfo.TestHelpersTag)).ToList();
        var cells = new List<JsonObject>();
        var sourceOf = new Dictionary<string, NotebookCell>(StringComparer.Ordinal);
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        AddExtras(-1);
        for (int i = 0; i < sourceCells.Count; i++)
        {
            var s = sourceCells[i];
            var info = NbgraderCellInfo.Of(s);
            var u = match[i] is { } m ? submission.Cells[m] : null;
            string name = info?.GradeId ?? s.Id;
            if (info?.Solution == true)
            {
                if (u is null)
                {
                    flags.Add($"answer cell '{name}' is missing; graded as unanswered");
                }
                else
                {
                    foreach (string finding in StaticChecks.Scan(u.Source))
                    {
                        flags.Add($"answer cell '{name}': {finding}");
                    }
                }

                Add(WithSource(s, u is not null && u.CellType == s.CellType ? u.Source : student.Cells[i].Source), s);
            }
            else if (info?.IsRestored == true)
            {
                if (u is null)
                {
                    flags.Add($"{Kind(info)} '{name}' was deleted; restored from the source");
                }
                else if (u.CellType != s.CellType || NbgraderCellInfo.ComputeChecksum(u) != NbgraderCellInfo.ComputeChecksum(student.Cells[i]))
                {
                    flags.Add($"{Kind(info)} '{name}' was edited; restored from the source");
                }

                if (info.IsTest)
                {
                    foreach (var helper in helpers)
                    {
                        inserted.Add(Add(WithSource(helper, helper.Source), helper));
                    }
                }

                Add(WithSource(s, s.Source), s);
            }
            else
            {
                // A plain code cell keeps the student's version; prose (markdown, raw) is always the source's.
                Add(s.IsCode && u is not null && u.CellType == s.CellType ? WithSource(s, u.Source) : WithSource(s, s.Source), s);
            }

            if (match[i] is { } anchorIndex)
            {
                AddExtras(anchorIndex);
            }
        }

        var root = source.Document.ToJsonObject();
        root["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray());
        var notebook = IpynbDocument.FromJson(root, "prepared submission");
        return new PreparedSubmission(notebook, flags, sourceOf, inserted);

        // Adds a cell under the grader's next id; returns that id.
        string Add(JsonObject cell, NotebookCell? from)
        {
            string id = "wb-" + cells.Count.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            cell["id"] = id;
            cells.Add(cell);
            if (from is not null)
            {
                sourceOf[id] = from;
            }

            return id;
        }

        void AddExtras(int after)
        {
            if (!extrasAfter.TryGetValue(after, out var list))
            {
                return;
            }

            foreach (var extra in list)
            {
                foreach (string finding in StaticChecks.Scan(extra.Source))
                {
                    flags.Add($"added cell {extra.Index + 1}: {finding}");
                }

                // Only the student's code is kept: type, metadata and id are the grader's.
                Add(new JsonObject
                {
                    ["cell_type"] = "code",
                    ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                    ["source"] = IpynbDocument.ToSourceLines(extra.Source),
                    ["outputs"] = new JsonArray(),
                    ["execution_count"] = null,
                }, null);
            }
        }
    }

    private static string Kind(NbgraderCellInfo info) => info.IsTest ? "test cell" : "locked cell";

    private static JsonObject WithSource(NotebookCell template, string source)
    {
        var json = (JsonObject)template.Json.DeepClone();
        json["source"] = IpynbDocument.ToSourceLines(source);
        if (json["cell_type"]?.GetValue<string>() == "code")
        {
            json["outputs"] = new JsonArray();
            json["execution_count"] = null;
        }

        return json;
    }
}
