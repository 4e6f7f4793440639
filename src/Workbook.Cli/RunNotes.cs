namespace Workbook.Cli;

/// <summary>The notes <c>run</c> prints after a batch.</summary>
internal static class RunNotes
{
    private const string InstallAdvice =
        "To get the images, install chromium (apt-get install chromium) or point WORKBOOK_CHROMIUM at a chromium binary.";

    /// <summary>Says that <paramref name="count"/> charts got no static image and why (<paramref name="reason"/>,
    /// from <see cref="Workbook.Host.Rendering.ChartImages.SkippedReason"/>), with the install advice once: a reason that
    /// already says how to install chromium gets no second copy of it.</summary>
    public static string ChartImagesSkipped(string reason, int count)
    {
        string why = reason.Trim().TrimEnd('.');
        bool advised = why.Contains("apt-get install", StringComparison.Ordinal);
        return $"note: static chart images (image/png) were skipped for {count} chart(s): {why}. " +
               "The interactive HTML charts are unaffected." + (advised ? "" : " " + InstallAdvice);
    }
}
