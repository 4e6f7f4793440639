namespace Workbook.Jupyter.Tests.NotebookUi;

/// <summary>Why the notebook-UI tests cannot run here (Debian's jupyter-notebook or chromium missing), or null.</summary>
internal static class NotebookUiClients
{
    public static string? Missing() =>
        NotebookServer.Missing() ??
        (Workbook.Host.Rendering.ChartImages.FindChromium() is null
            ? "needs chromium (apt-get install chromium, or set WORKBOOK_CHROMIUM); skipped"
            : null);
}

/// <summary>A fact that needs Debian's jupyter-notebook and chromium; skipped with the reason when either is
/// missing, unless CI requires clients.</summary>
public sealed class FactNeedsNotebookUiAttribute : FactAttribute
{
    public FactNeedsNotebookUiAttribute()
    {
        if (!ExternalClient.Required && NotebookUiClients.Missing() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs Debian's jupyter-notebook and chromium (see <see cref="FactNeedsNotebookUiAttribute"/>).</summary>
public sealed class TheoryNeedsNotebookUiAttribute : TheoryAttribute
{
    public TheoryNeedsNotebookUiAttribute()
    {
        if (!ExternalClient.Required && NotebookUiClients.Missing() is { } reason)
        {
            Skip = reason;
        }
    }
}
