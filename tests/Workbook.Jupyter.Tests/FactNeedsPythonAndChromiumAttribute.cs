namespace Workbook.Jupyter.Tests;

/// <summary>A fact that needs jupyter_client and chromium (for the charts' image/png); skipped with the reason when
/// either is missing, unless CI requires clients.</summary>
public sealed class FactNeedsPythonAndChromiumAttribute : FactAttribute
{
    public FactNeedsPythonAndChromiumAttribute(string module)
    {
        string? missingChromium = Workbook.Host.Rendering.ChartImages.FindChromium() is null
            ? "needs chromium for image/png (apt-get install chromium, or set WORKBOOK_CHROMIUM); skipped"
            : null;
        if (!ExternalClient.Required && (ExternalClient.MissingPythonModule(module) ?? missingChromium) is { } reason)
        {
            Skip = reason;
        }
    }
}
