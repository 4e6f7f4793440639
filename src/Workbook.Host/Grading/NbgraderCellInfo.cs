using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Grading;

/// <summary>What nbgrader's <c>metadata.nbgrader</c> block (schema version 3) says about a cell.</summary>
/// <param name="GradeId">The cell's stable name (<c>grade_id</c>), or null when missing.</param>
/// <param name="Points">Points the cell is worth (<c>points</c>), or null when missing or not a number.</param>
/// <param name="Solution">The student writes this cell (<c>solution</c>).</param>
/// <param name="Grade">The cell is graded (<c>grade</c>); a graded code cell that is not a solution is a test cell.</param>
/// <param name="Locked">The student must not edit this cell (<c>locked</c>).</param>
/// <param name="Checksum">The checksum recorded by <c>assign</c>, or null.</param>
public sealed record NbgraderCellInfo(string? GradeId, double? Points, bool Solution, bool Grade, bool Locked, string? Checksum)
{
    /// <summary>The metadata key nbgrader uses.</summary>
    public const string MetadataKey = "nbgrader";

    /// <summary>The cell tag that marks a locked cell of test helpers; the grader runs it again before every
    /// test cell, so a submission that redefines a helper cannot change what the tests call.</summary>
    public const string TestHelpersTag = "test-helpers";

    /// <summary>True for an autograded test cell: graded, not a solution.</summary>
    public bool IsTest => Grade && !Solution;

    /// <summary>True when the cell's source comes from the instructor at grading time (tests and locked cells).</summary>
    public bool IsRestored => IsTest || (Locked && !Solution);

    /// <summary>Reads the nbgrader block of <paramref name="cell"/>, or null when it has none.</summary>
    public static NbgraderCellInfo? Of(NotebookCell cell)
    {
        if (cell.Metadata[MetadataKey] is not JsonObject nb)
        {
            return null;
        }

        double? points = null;
        if (nb["points"] is JsonValue p)
        {
            if (p.TryGetValue(out double d))
            {
                points = d;
            }
            else if (p.TryGetValue(out string? s) &&
                     double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
            {
                points = parsed;
            }
        }

        return new NbgraderCellInfo(
            nb["grade_id"] is JsonValue g && g.TryGetValue(out string? id) && id.Length > 0 ? id : null,
            points,
            Flag(nb, "solution"),
            Flag(nb, "grade"),
            Flag(nb, "locked"),
            nb["checksum"] is JsonValue c && c.TryGetValue(out string? sum) ? sum : null);
    }

    /// <summary>SHA-256 (lower-case hex) of the cell's type and source: <c>cell_type + "\n" + source</c>, in UTF-8.</summary>
    public static string ComputeChecksum(NotebookCell cell) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cell.CellType + "\n" + cell.Source)));

    private static bool Flag(JsonObject nb, string name) =>
        nb[name] is JsonValue v && v.TryGetValue(out bool b) && b;
}
