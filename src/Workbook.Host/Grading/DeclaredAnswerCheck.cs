using Workbook.Host.Execution;

namespace Workbook.Host.Grading;

/// <summary>How the tests judged one declared answer.</summary>
/// <param name="Answer">The declared answer.</param>
/// <param name="Rows">Its grade: one row per test cell (hand-graded answers and flags left out).</param>
/// <param name="Problems">What the tests got wrong about it; empty when they judged it as declared.</param>
internal sealed record DeclaredAnswerVerdict(DeclaredAnswer Answer, IReadOnlyList<GradeRow> Rows, IReadOnlyList<string> Problems);

/// <summary>Grades each declared answer of a source as a student's submission, through the grader
/// (<see cref="Grader.GradeOneAsync"/>), and judges the tests: a wrong answer must lose every point of each test cell
/// in its <c>must_fail</c>, a right answer must earn every point of every test cell.</summary>
internal static class DeclaredAnswerCheck
{
    /// <summary>Grades every declared answer of <paramref name="source"/>, up to
    /// <see cref="GradingOptions.MaxParallel"/> at once; verdicts in declaration order.</summary>
    /// <exception cref="WorkerStartException">A worker could not start (the tool's failure).</exception>
    public static async Task<IReadOnlyList<DeclaredAnswerVerdict>> CheckAsync(AssignmentSource source, GradingOptions options,
        WorkerLauncher launcher, CancellationToken cancellationToken)
    {
        var answers = source.DeclaredAnswers;
        var verdicts = new DeclaredAnswerVerdict[answers.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, answers.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallel), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var answer = answers[i];
                string folder = TempFolders.Create("workbook-declared-");
                try
                {
                    string path = Path.Combine(folder, source.Name + ".ipynb");
                    answer.CreateSubmission(source).Save(path);
                    var (grade, _) = await Grader.GradeOneAsync(source, answer.Name, path, options, launcher, ct);
                    verdicts[i] = Judge(source, answer, grade);
                }
                finally
                {
                    TempFolders.Delete(folder);
                }
            });
        return verdicts;
    }

    /// <summary>Judges the tests by the grade of one declared answer.</summary>
    public static DeclaredAnswerVerdict Judge(AssignmentSource source, DeclaredAnswer answer, SubmissionGrade grade)
    {
        var testIds = source.Document.Cells
            .Select(NbgraderCellInfo.Of)
            .Where(i => i is { IsTest: true, GradeId: not null })
            .Select(i => i!.GradeId!)
            .ToHashSet(StringComparer.Ordinal);
        var rows = grade.Rows.Where(r => testIds.Contains(r.GradeId)).ToList();
        var problems = new List<string>();
        string what = $"declared {(answer.Kind == DeclaredAnswerKind.Wrong ? "wrong" : "right")} answer '{answer.Name}' " +
                      $"(for '{answer.Replaces}': {answer.Why})";
        if (answer.Kind == DeclaredAnswerKind.Wrong)
        {
            foreach (var row in rows.Where(r => answer.MustFail.Contains(r.GradeId) && r.Points > 0))
            {
                problems.Add($"{what} earns {Grader.Number(row.Points)} of the {Grader.Number(row.MaxPoints)} points of " +
                             $"part '{row.GradeId}': its tests miss this mistake");
            }
        }
        else
        {
            foreach (var row in rows.Where(r => r.Points < r.MaxPoints))
            {
                problems.Add($"{what} loses {Grader.Number(row.MaxPoints - row.Points)} of the {Grader.Number(row.MaxPoints)} " +
                             $"points of part '{row.GradeId}' ({row.Status.ToWord()}: {row.Message})");
            }
        }

        return new DeclaredAnswerVerdict(answer, rows, problems);
    }
}
