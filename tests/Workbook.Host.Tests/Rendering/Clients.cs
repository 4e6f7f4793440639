using Workbook.Host.Rendering;

namespace Workbook.Host.Tests.Rendering;

/// <summary>The outside programs the rendering tests drive: Debian's chromium and jupyter-nbconvert.</summary>
internal static class Clients
{
    public static string? Chromium => ChartImages.FindChromium();

    public static string Jupyter => File.Exists("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter";

    public static string? MissingChromium() => Chromium is null
        ? "needs chromium (apt-get install chromium, or set WORKBOOK_CHROMIUM); skipped"
        : null;

    public static string? MissingNbconvert() => ExternalClient.Succeeds(Jupyter, "nbconvert", "--version")
        ? null
        : "needs jupyter nbconvert (apt-get install jupyter-nbconvert); skipped";

    /// <summary>Dumps the DOM of <paramref name="file"/> after scripts ran, in headless chromium with the
    /// network off (an unroutable proxy and no background networking): only file:// loads can succeed.</summary>
    public static string DumpDom(string file)
    {
        string profile = Directory.CreateTempSubdirectory("workbook-test-chromium-").FullName;
        try
        {
            string[] args =
            [
                "--headless", .. ChartImages.ChromiumFlags, "--user-data-dir=" + profile,
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--virtual-time-budget=10000", "--dump-dom", new Uri(Path.GetFullPath(file)).AbsoluteUri,
            ];
            var (code, stdout, stderr) = ExternalClient.Run(Chromium!, args, TimeSpan.FromSeconds(120));
            Assert.True(code == 0, $"chromium exited {code}: {stderr}");
            return stdout;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}

/// <summary>A fact that needs chromium; skipped with the reason when it is missing, unless CI requires clients.</summary>
public sealed class FactNeedsChromiumAttribute : FactAttribute
{
    public FactNeedsChromiumAttribute()
    {
        if (!ExternalClient.Required && Clients.MissingChromium() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that needs chromium, jupyter nbconvert and python3-nbformat.</summary>
public sealed class FactNeedsNbconvertAndChromiumAttribute : FactAttribute
{
    public FactNeedsNbconvertAndChromiumAttribute()
    {
        if (!ExternalClient.Required &&
            (Clients.MissingChromium() ?? Clients.MissingNbconvert() ?? ExternalClient.MissingPythonModule("nbformat")) is { } reason)
        {
            Skip = reason;
        }
    }
}
