using System.Text.Json.Nodes;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Grading;

/// <summary>An instructor's notebook: solutions, visible tests and hidden tests in one source.</summary>
public sealed class AssignmentSource
{
    private AssignmentSource(string path, IpynbDocument document, IReadOnlyList<DeclaredAnswer> declaredAnswers)
    {
        Path = path;
        Document = document;
        DeclaredAnswers = declaredAnswers;
    }

    /// <summary>The source file.</summary>
    public string Path { get; }

    /// <summary>The instructor's notebook, solutions and hidden tests included, without the declared answers' cells:
    /// what the handout is made from and what submissions are graded against.</summary>
    public IpynbDocument Document { get; }

    /// <summary>The wrong and right answers the source declares to test its tests (see <see cref="DeclaredAnswer"/>),
    /// taken out of <see cref="Document"/>.</summary>
    public IReadOnlyList<DeclaredAnswer> DeclaredAnswers { get; }

    /// <summary>The assignment's name: the source's file name without extension.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>Loads a source notebook and checks it (see <see cref="Problems"/>); the declared answers' cells are
    /// separated from the document (<see cref="DeclaredAnswers"/>).</summary>
    /// <exception cref="NotebookFormatException">The file is not a notebook.</exception>
    /// <exception cref="AssignmentSourceException">The source breaks a rule; the message lists every problem.</exception>
    public static AssignmentSource Load(string path)
    {
        var document = IpynbDocument.Load(path);
        var problems = Problems(document);
        if (problems.Count > 0)
        {
            throw new AssignmentSourceException(path, problems);
        }

        var (graded, declared) = DeclaredAnswer.Separate(document);
        return new AssignmentSource(System.IO.Path.GetFullPath(path), graded, declared);
    }

    /// <summary>Every rule the source breaks, each naming the cell: markers balanced and in the right kind of
    /// cell; every nbgrader cell with a cell id and a unique <c>grade_id</c>; every test cell with points &gt; 0.</summary>
    /// <param name="document">The source; a cell that had no <c>id</c> in its file has
    /// <see cref="NotebookCell.IdWasMissing"/> set.</param>
    public static IReadOnlyList<string> Problems(IpynbDocument document)
    {
        var problems = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var cell in document.Cells.Where(c => !DeclaredAnswer.IsDeclared(c)))
        {
            var info = NbgraderCellInfo.Of(cell);
            string where = $"cell {cell.Index + 1} ({cell.CellType}, `{Describe(cell)}`)";
            bool isSolution = info?.Solution == true;
            bool isTest = info?.IsTest == true;
            foreach (string p in Regions.Check(cell.Source, isSolution, isTest))
            {
                problems.Add($"{where}: {p}");
            }

            if (info is null)
            {
                continue;
            }

            if (cell.IdWasMissing)
            {
                problems.Add($"{where}: an nbgrader cell needs a cell id (nbformat 4.5 'id')");
            }

            if (info.GradeId is null)
            {
                problems.Add($"{where}: nbgrader cell without a grade_id");
            }
            else if (!seen.TryAdd(info.GradeId, cell.Index))
            {
                problems.Add($"{where}: grade_id '{info.GradeId}' is also used by cell {seen[info.GradeId] + 1}");
            }

            if (info.Grade && info.Points is not > 0)
            {
                problems.Add($"{where}: graded cell '{info.GradeId}' has no points (expected points > 0)");
            }

            if (info.IsTest && !cell.IsCode)
            {
                problems.Add($"{where}: test cell '{info.GradeId}' must be a code cell");
            }
        }

        if (!document.Cells.Any(c => NbgraderCellInfo.Of(c)?.IsTest == true))
        {
            problems.Add("the source has no test cells (nbgrader grade: true, solution: false)");
        }

        problems.AddRange(DeclaredAnswer.Problems(document));

        return problems;
    }

    /// <summary>The student's version: solutions replaced by stubs, hidden tests removed, outputs cleared, a
    /// checksum recorded in the nbgrader block of every locked or test cell, and the workbook kernel named in the
    /// metadata (so the handout opens in an editor with no kernel prompt).</summary>
    public IpynbDocument CreateStudentVersion() => CreateStudentVersion(Document);

    /// <inheritdoc cref="CreateStudentVersion()"/>
    public static IpynbDocument CreateStudentVersion(IpynbDocument source)
    {
        var student = source.Clone();
        student.ClearOutputs();
        NotebookKernelSpec.ApplyTo(student);
        foreach (var cell in student.Cells)
        {
            var info = NbgraderCellInfo.Of(cell);
            string stub = cell.IsCode ? Regions.CodeStub : Regions.MarkdownStub;
            string text = info?.Solution == true && !Regions.HasSolutionRegion(cell.Source)
                ? stub
                : Regions.ToStudent(cell.Source, stub);
            cell.Json["source"] = IpynbDocument.ToSourceLines(text);
            if (info is not null && (info.IsTest || info.Locked))
            {
                ((JsonObject)cell.Metadata[NbgraderCellInfo.MetadataKey]!)["checksum"] = NbgraderCellInfo.ComputeChecksum(cell);
            }
        }

        return student;
    }

    internal static string Describe(NotebookCell cell) => TextLines.FirstLine(cell.Source, maxLength: 50);
}

/// <summary>An assignment source that breaks the authoring rules.</summary>
public sealed class AssignmentSourceException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with its problems.</summary>
    public AssignmentSourceException(string path, IReadOnlyList<string> problems)
        : base($"{path}: " + string.Join(Environment.NewLine + "  ", problems.Prepend($"{problems.Count} problem(s)")))
    {
        Problems = problems;
    }

    /// <summary>The problems, each naming its cell.</summary>
    public IReadOnlyList<string> Problems { get; }
}
