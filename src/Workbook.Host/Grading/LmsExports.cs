using System.Text;
using System.Text.Json.Nodes;

namespace Workbook.Host.Grading;

/// <summary>Grade files for learning-management systems, written beside <c>grades.csv</c>.</summary>
public static class LmsExports
{
    /// <summary>The columns of <c>totals.csv</c>.</summary>
    public const string TotalsHeader = "student,points,max_points,percent";

    /// <summary>Writes <c>totals.csv</c>: one row per student with the points, the points available and the percent
    /// (two decimals), for a gradebook's CSV import (Canvas, Moodle: map the <c>student</c> column to the student's
    /// login or id and <c>points</c> to the assignment).</summary>
    public static void WriteTotals(string path, IEnumerable<SubmissionGrade> grades)
    {
        var sb = new StringBuilder(TotalsHeader).Append('\n');
        foreach (var g in grades)
        {
            double percent = g.MaxPoints > 0 ? Math.Round(100 * g.Points / g.MaxPoints, 2) : 0;
            sb.AppendJoin(',', Escaping.CsvField(g.Student), Grader.Number(g.Points), Grader.Number(g.MaxPoints),
                percent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    /// <summary>The Gradescope autograder result of one submission (<c>results.json</c>): the top-level
    /// <c>score</c>, and one test per graded part with <c>name</c>, <c>score</c>, <c>max_score</c>, <c>status</c>,
    /// <c>output</c> (why points were withheld) and <c>visibility</c> <c>visible</c>; integrity flags go in the
    /// top-level <c>output</c>. Hidden test code is never in it.</summary>
    public static JsonObject GradescopeResults(SubmissionGrade grade)
    {
        var tests = new JsonArray();
        foreach (var r in grade.Rows.Where(r => r.GradeId != Grader.FlagsRow))
        {
            tests.Add(GradescopeTest(r, "visible"));
        }

        var root = new JsonObject { ["score"] = grade.Points, ["tests"] = tests };
        if (grade.Flags.Count > 0)
        {
            root["output"] = "Flagged for review: " + string.Join("; ", grade.Flags);
        }

        return root;
    }

    /// <summary>One graded part as a test of Gradescope's results (<c>name</c>, <c>score</c>, <c>max_score</c>,
    /// <c>status</c>, <c>output</c> as text, and <paramref name="visibility"/>).</summary>
    internal static JsonObject GradescopeTest(GradeRow r, string visibility) => new()
    {
        ["name"] = r.GradeId,
        ["score"] = r.Points,
        ["max_score"] = r.MaxPoints,
        ["status"] = r.Status == CellStatus.Passed ? "passed" : "failed",
        ["output"] = r.Status == CellStatus.Passed ? "passed" : $"{r.Status.ToWord()}: {r.Message}",
        ["output_format"] = "text",
        ["visibility"] = visibility,
    };

    /// <summary>Writes <c>totals.csv</c> under <paramref name="outDir"/> and <c>gradescope/STUDENT/results.json</c>
    /// for each submission.</summary>
    public static void WriteAll(string outDir, IReadOnlyList<SubmissionGrade> grades)
    {
        WriteTotals(Path.Combine(outDir, "totals.csv"), grades);
        // A student whose id is not a file name has no folder (their grades.csv row says why).
        foreach (var g in grades.Where(g => g.HasValidId))
        {
            string dir = Path.Combine(outDir, "gradescope", g.Student);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "results.json"),
                GradescopeResults(g).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n",
                new UTF8Encoding(false));
        }
    }

}
