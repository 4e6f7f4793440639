namespace Workbook.Host.Grading;

/// <summary>Status words of a graded cell, as written to <c>grades.csv</c>.</summary>
public static class CellStatus
{
    /// <summary>The cell ran without error.</summary>
    public const string Passed = "passed";

    /// <summary>The cell threw or did not compile.</summary>
    public const string Failed = "failed";

    /// <summary>The cell (or the submission) ran out of time; the worker was killed.</summary>
    public const string Timeout = "timeout";

    /// <summary>The worker process died (exit, stack overflow, out of memory) while or before running the cell.</summary>
    public const string Crashed = "crashed";

    /// <summary>The submission is not a notebook, so nothing was run.</summary>
    public const string Invalid = "invalid";

    /// <summary>The submission kept a test from running or from failing: the test's canary (its source followed by a
    /// throw carrying a secret nonce) did not fail with that nonce. The part earns nothing.</summary>
    public const string Tampered = "tampered";

    /// <summary>A row that reports integrity findings (edited tests, suspicious code) rather than points.</summary>
    public const string Flagged = "flagged";
}
