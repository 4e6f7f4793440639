namespace Workbook.Host.Grading;

/// <summary>Status of a graded cell (a row of <c>grades.csv</c>). Each member is written as one word or phrase
/// (<see cref="CellStatusWords.ToWord"/>), the same in <c>grades.csv</c>, the feedback and the LMS exports.</summary>
public enum CellStatus
{
    /// <summary>The cell ran without error (<c>passed</c>).</summary>
    Passed,

    /// <summary>The cell threw or did not compile (<c>failed</c>).</summary>
    Failed,

    /// <summary>The cell (or the submission) ran out of time; the worker was killed (<c>timeout</c>).</summary>
    Timeout,

    /// <summary>The worker process died (exit, stack overflow, out of memory) while or before running the cell
    /// (<c>crashed</c>).</summary>
    Crashed,

    /// <summary>The submission is not a notebook, so nothing was run (<c>invalid</c>).</summary>
    Invalid,

    /// <summary>The submission kept a test from running or from failing: the test's canary (its source followed by a
    /// throw carrying a secret nonce) did not fail with that nonce. The part earns nothing (<c>tampered</c>).</summary>
    Tampered,

    /// <summary>A row that reports integrity findings (edited tests, suspicious code) rather than points
    /// (<c>flagged</c>).</summary>
    Flagged,

    /// <summary>A hand-graded answer that has no score yet, worth 0 points (<c>needs review</c>).</summary>
    NeedsReview,

    /// <summary>A hand-graded answer that the instructor scored (<c>reviewed</c>).</summary>
    Reviewed,
}

/// <summary>The one mapping between <see cref="CellStatus"/> and the word written for it.</summary>
public static class CellStatusWords
{
    /// <summary>The word written for <paramref name="status"/> in <c>grades.csv</c>, the feedback and the LMS exports:
    /// <c>passed</c>, <c>failed</c>, <c>timeout</c>, <c>crashed</c>, <c>invalid</c>, <c>tampered</c>,
    /// <c>flagged</c>, <c>needs review</c> or <c>reviewed</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined member.</exception>
    public static string ToWord(this CellStatus status) => status switch
    {
        CellStatus.Passed => "passed",
        CellStatus.Failed => "failed",
        CellStatus.Timeout => "timeout",
        CellStatus.Crashed => "crashed",
        CellStatus.Invalid => "invalid",
        CellStatus.Tampered => "tampered",
        CellStatus.Flagged => "flagged",
        CellStatus.NeedsReview => "needs review",
        CellStatus.Reviewed => "reviewed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a cell status"),
    };

    /// <summary>The status written as <paramref name="word"/> (exactly as <see cref="ToWord"/> writes it).</summary>
    /// <returns>True when <paramref name="word"/> is a status word; otherwise false and
    /// <paramref name="status"/> is <see cref="CellStatus.Failed"/>.</returns>
    public static bool TryParse(string? word, out CellStatus status)
    {
        foreach (var candidate in Enum.GetValues<CellStatus>())
        {
            if (string.Equals(candidate.ToWord(), word, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = CellStatus.Failed;
        return false;
    }
}
