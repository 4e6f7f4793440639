using System.Globalization;

namespace Workbook.Host.Execution;

/// <summary>The errors the executors report for cells that did not end by themselves.</summary>
internal static class Errors
{
    /// <summary>The error of a cell stopped at its time limit.</summary>
    public static ErrorOutput Timeout(TimeSpan limit, string what)
    {
        string message = $"the cell did not finish within {Seconds(limit)} s";
        return new ErrorOutput("TimeoutError", message, [$"TimeoutError: {message}", what]);
    }

    /// <summary>The error of a cell whose worker process died while it ran.</summary>
    public static ErrorOutput WorkerDied(int exitCode, IReadOnlyList<string> stderr)
    {
        string message = $"the worker process died while running this cell (exit code {exitCode.ToString(CultureInfo.InvariantCulture)})";
        var traceback = new List<string> { $"KernelDied: {message}" };
        if (stderr.Count > 0)
        {
            traceback.Add("Its last lines on standard error:");
            traceback.AddRange(stderr.Select(l => "  " + l));
        }

        traceback.Add("The next cell runs in a fresh kernel: variables and loaded packages are gone.");
        return new ErrorOutput("KernelDied", message, traceback);
    }

    /// <summary>The error of a cell whose worker was ended because it flooded the protocol channel.</summary>
    public static ErrorOutput OutputLimit(string why) => new("OutputLimitError", why,
    [
        $"OutputLimitError: {why}",
        "Its worker process was ended, which stops the code; the next cell runs in a fresh kernel.",
    ]);

    /// <summary>The error of a cell whose worker broke the protocol (a reply of the wrong shape, or a refusal).</summary>
    public static ErrorOutput ProtocolViolation(string why) => new("ProtocolError", "the worker's reply was not understood",
    [
        $"ProtocolError: the worker's reply was not understood ({why})",
        "Its worker process was ended; the next cell runs in a fresh kernel.",
    ]);

    /// <summary>A byte count as a short text (<c>64 KiB</c>, <c>16 MiB</c>).</summary>
    public static string Size(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB"
        : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? (bytes >> 10).ToString(CultureInfo.InvariantCulture) + " KiB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

    /// <summary>Seconds as a short invariant number (<c>2</c>, <c>0.5</c>).</summary>
    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
