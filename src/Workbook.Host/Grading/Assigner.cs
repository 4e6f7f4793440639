using Workbook.Host.Execution;
using Workbook.Host.Notebooks;
using Workbook.Host.Running;

namespace Workbook.Host.Grading;

/// <summary>Writes the student version of assignment sources (what <c>workbook assign</c> does).</summary>
public static class Assigner
{
    /// <summary>Checks <paramref name="sourcePath"/> (markers, ids, points), runs it, and when every cell of the
    /// instructor's solution passes its own tests writes the student version to
    /// <c><paramref name="outDir"/>/NAME.ipynb</c>; returns the path written.</summary>
    /// <exception cref="NotebookFormatException">The source is not a notebook.</exception>
    /// <exception cref="AssignmentSourceException">The source breaks an authoring rule, or its solution fails;
    /// the message names the cell.</exception>
    public static async Task<string> AssignAsync(string sourcePath, string outDir, TimeSpan? cellTimeout = null,
        CancellationToken cancellationToken = default)
    {
        var source = AssignmentSource.Load(sourcePath);
        var runner = new NotebookRunner(new NotebookRunOptions { StopOnError = true, CellTimeout = cellTimeout });
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

        string target = Path.Combine(outDir, source.Name + ".ipynb");
        if (Path.GetFullPath(target) == source.Path)
        {
            throw new ArgumentException($"--out {outDir} would overwrite the source {source.Path}", nameof(outDir));
        }

        source.CreateStudentVersion().Save(target);
        return target;
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
