using Workbook.Host.Execution;
using Workbook.Host.Notebooks;
using Workbook.Host.Running;

namespace Workbook.Host.Grading;

/// <summary>What <c>assign</c> wrote and how the source's tests judged its declared answers.</summary>
/// <param name="Path">The student version written.</param>
/// <param name="WrongAnswers">Declared wrong answers.</param>
/// <param name="WrongRejected">Declared wrong answers that lost every part they must fail.</param>
/// <param name="RightAnswers">Declared right answers.</param>
/// <param name="RightAccepted">Declared right answers that earned every point.</param>
public sealed record AssignedSource(string Path, int WrongAnswers, int WrongRejected, int RightAnswers, int RightAccepted)
{
    /// <summary>One line: "tests reject N of N declared wrong answers; N of N declared right answers earn every point".</summary>
    public string Summary => Describe(WrongAnswers, WrongRejected, RightAnswers, RightAccepted);

    internal static string Describe(int wrong, int rejected, int right, int accepted) =>
        $"tests reject {rejected} of {wrong} declared wrong answers; {accepted} of {right} declared right answers earn every point";
}

/// <summary>Writes the student version of assignment sources (what <c>workbook assign</c> does).</summary>
public static class Assigner
{
    /// <summary>Checks <paramref name="sourcePath"/> (markers, ids, points, declared answers), runs it, grades each
    /// declared answer as a submission (the handout with that answer in its cell and the solution in the others)
    /// through <see cref="Grader.GradeOneAsync"/> with <paramref name="options"/> and <paramref name="launcher"/>, up to
    /// <see cref="GradingOptions.MaxParallel"/> at once, and when every cell of the instructor's solution passes its
    /// own tests, every declared wrong answer loses each part in its <c>must_fail</c> and every declared right answer
    /// earns every point, writes the student version to <c><paramref name="outDir"/>/NAME.ipynb</c>.</summary>
    /// <exception cref="NotebookFormatException">The source is not a notebook.</exception>
    /// <exception cref="AssignmentSourceException">The source breaks an authoring rule, its solution fails, or its
    /// tests misjudge a declared answer; the message names the cell, or the answer and the part.</exception>
    /// <exception cref="WorkerStartException">A grading worker could not start (the tool's failure).</exception>
    public static async Task<AssignedSource> AssignAsync(string sourcePath, string outDir, GradingOptions options,
        WorkerLauncher launcher, CancellationToken cancellationToken = default)
    {
        var source = AssignmentSource.Load(sourcePath);
        string target = Path.Combine(outDir, source.Name + ".ipynb");
        if (Path.GetFullPath(target) == source.Path)
        {
            throw new ArgumentException($"--out {outDir} would overwrite the source {source.Path}", nameof(outDir));
        }

        var runner = new NotebookRunner(new NotebookRunOptions { StopOnError = true, CellTimeout = options.CellTimeout });
        var run = await runner.RunAsync(source.Document, source.Path, null, cancellationToken);
        if (!run.Succeeded && run.FirstFailure is { } failure)
        {
            var cell = source.Document.Cells[failure.CellIndex];
            string name = NbgraderCellInfo.Of(cell)?.GradeId is { } gid ? $"'{gid}' " : "";
            throw new AssignmentSourceException(source.Path,
            [
                $"cell {failure.CellIndex + 1} {name}(`{AssignmentSource.Describe(cell)}`): the solution fails its own tests: " +
                $"{failure.Error?.Name}: {TextLines.FirstLine(failure.Error?.Message)}",
            ]);
        }

        var verdicts = await DeclaredAnswerCheck.CheckAsync(source, options, launcher, cancellationToken);
        var wrong = verdicts.Where(v => v.Answer.Kind == DeclaredAnswerKind.Wrong).ToList();
        var right = verdicts.Where(v => v.Answer.Kind == DeclaredAnswerKind.Right).ToList();
        var result = new AssignedSource(target, wrong.Count, wrong.Count(v => v.Problems.Count == 0),
            right.Count, right.Count(v => v.Problems.Count == 0));
        var problems = verdicts.SelectMany(v => v.Problems).ToList();
        if (problems.Count > 0)
        {
            problems.Add(result.Summary);
            throw new AssignmentSourceException(source.Path, problems);
        }

        source.CreateStudentVersion().Save(target);
        return result;
    }
}

/// <summary>Runs a student's notebook with its visible tests (what <c>workbook check</c> does). Hidden tests are
/// not in the student's notebook, so they are never run or shown.</summary>
public static class Checker
{
    /// <summary>Runs the notebook in a worker process and returns one row per test cell it contains.</summary>
    /// <exception cref="NotebookFormatException">The file is not a notebook.</exception>
    public static async Task<IReadOnlyList<GradeRow>> CheckAsync(string notebookPath, GradingOptions options,
        WorkerLauncher launcher, CancellationToken cancellationToken = default)
    {
        var notebook = IpynbDocument.Load(notebookPath);
        string folder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        IsolatedRun run;
        if (launcher is SandboxLauncher)
        {
            // The sandbox writes only in a copy of the notebook's folder, taken as a submission is (regular files
            // only, no link followed, within the intake's limits).
            string work = TempFolders.Create("workbook-check-");
            try
            {
                SubmissionIntake.Copy(folder, Path.GetFileNameWithoutExtension(notebookPath), work, options.Intake);
                run = await IsolatedRunner.RunAsync(notebook, work, options, launcher, cancellationToken);
            }
            finally
            {
                TempFolders.Delete(work);
            }
        }
        else
        {
            run = await IsolatedRunner.RunAsync(notebook, folder, options, launcher, cancellationToken);
        }
        string student = Path.GetFileNameWithoutExtension(notebookPath);
        return notebook.Cells
            .Select(c => (Cell: c, Info: NbgraderCellInfo.Of(c)))
            .Where(t => t.Info is { IsTest: true, GradeId: not null })
            .Select(t =>
            {
                double max = t.Info!.Points ?? 0;
                var r = run.Cells.GetValueOrDefault(t.Cell.Id)
                        ?? new IsolatedCellResult(run.StopReason ?? CellStatus.Crashed, "not run", null);
                return new GradeRow(student, t.Info.GradeId!, r.Status == CellStatus.Passed ? max : 0, max, r.Status, r.Message);
            })
            .ToList();
    }
}
