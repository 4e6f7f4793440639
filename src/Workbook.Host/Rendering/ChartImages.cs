using System.Diagnostics;
using Plotly.NET;
using PuppeteerSharp;

namespace Workbook.Host.Rendering;

/// <summary>Static renderings of charts (image/png) for viewers that do not run scripts.</summary>
/// <remarks>One headless chromium per process, started on the first chart and closed at process exit. Its page
/// loads plotly.js (from Plotly.NET) once; each chart is then drawn with <c>Plotly.toImage</c>, so a chart costs a
/// draw, not a browser start. The page fetches nothing from the network. Chromium is found through
/// <c>WORKBOOK_CHROMIUM</c>, <c>/usr/bin/chromium</c>, or <c>chromium</c> / <c>chromium-browser</c> on PATH; when it
/// is missing or does not start, charts get no image (their HTML still draws) and <see cref="SkippedReason"/> says
/// why.</remarks>
internal static class ChartImages
{
    /// <summary>Default image size when the chart's layout sets none.</summary>
    public const int DefaultWidth = 700;

    /// <summary>Default image height when the chart's layout sets none.</summary>
    public const int DefaultHeight = 500;

    private static readonly Lock Gate = new();
    private static Renderer? _renderer;
    private static string? _skippedReason;
    private static int _skippedCount;
    private static int _renderedCount;
    private static TimeSpan _renderTime;

    /// <summary>Why images were skipped in this process (chromium missing or broken), or null.</summary>
    public static string? SkippedReason => _skippedReason;

    /// <summary>How many charts got no image in this process.</summary>
    public static int SkippedCount => _skippedCount;

    /// <summary>How many images were rendered in this process, and the time spent on them (browser start
    /// included).</summary>
    public static (int Count, TimeSpan Elapsed) Rendered => (_renderedCount, _renderTime);

    /// <summary>Extra MIME entries for <paramref name="chart"/>: <c>image/png</c> (base64), or nothing when no
    /// chromium is available.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Render(GenericChart chart)
    {
        string? png = RenderPng(GenericChart.toFigureJson(chart));
        return png is null ? [] : [new("image/png", png)];
    }

    /// <summary>A Plotly figure (JSON with data, layout, config) as a base64 PNG, or null without chromium.</summary>
    public static string? RenderPng(string figureJson)
    {
        var clock = Stopwatch.StartNew();
        Renderer? renderer;
        lock (Gate)
        {
            if (_skippedReason is not null)
            {
                _skippedCount++;
                return null;
            }

            try
            {
                renderer = _renderer ??= Renderer.Start();
            }
            catch (Exception e) when (e is FileNotFoundException or PuppeteerException or IOException
                                          or InvalidOperationException or System.ComponentModel.Win32Exception
                                          or TimeoutException)
            {
                _skippedReason = e is FileNotFoundException ? e.Message : "chromium did not start: " + e.Message;
                _skippedCount++;
                return null;
            }

            try
            {
                string png = renderer.Render(figureJson);
                _renderedCount++;
                _renderTime += clock.Elapsed;
                return png;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A chart plotly cannot draw gets no image; the others still do. A browser that went away (killed,
                // crashed, its pipe closed) is dropped, so the next chart starts a fresh one: a missing image is
                // never a failed cell.
                _skippedCount++;
                if (!renderer.IsConnected)
                {
                    renderer.Dispose();
                    _renderer = null;
                }

                return null;
            }
        }
    }

    /// <summary>The chromium executable: <c>WORKBOOK_CHROMIUM</c>, <c>/usr/bin/chromium</c>, or chromium or
    /// chromium-browser on PATH; null when none exists.</summary>
    public static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable("WORKBOOK_CHROMIUM") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        if (File.Exists("/usr/bin/chromium"))
        {
            return "/usr/bin/chromium";
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            foreach (string name in new[] { "chromium", "chromium-browser" })
            {
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name)))
                {
                    return Path.Combine(dir, name);
                }
            }
        }

        return null;
    }

    /// <summary>The flags the workbook starts headless chromium with (as root, chromium needs --no-sandbox).</summary>
    public static IReadOnlyList<string> ChromiumFlags { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private sealed class Renderer : IDisposable
    {
        private const string DrawScript = """
            async (figureJson) => {
              const fig = JSON.parse(figureJson);
              const layout = Object.assign({}, fig.layout || {});
              const width = layout.width || 700, height = layout.height || 500;
              const url = await window.Plotly.toImage({ data: fig.data, layout: layout, config: { staticPlot: true } },
                                                      { format: 'png', width: width, height: height });
              return url.substring(url.indexOf(',') + 1);
            }
            """;

        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
        private readonly IBrowser _browser;
        private readonly IPage _page;
        private readonly string _profile;

        private Renderer(IBrowser browser, IPage page, string profile)
        {
            _browser = browser;
            _page = page;
            _profile = profile;
        }

        public static Renderer Start()
        {
            string chromium = FindChromium() ?? throw new FileNotFoundException(
                "chromium was not found (looked at WORKBOOK_CHROMIUM, /usr/bin/chromium, and chromium or " +
                "chromium-browser on PATH); install it with: apt-get install chromium");
            string profile = Directory.CreateTempSubdirectory("workbook-chromium-").FullName;
            try
            {
                var renderer = Task.Run(() => StartAsync(chromium, profile)).WaitAsync(Timeout).GetAwaiter().GetResult();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => renderer.Dispose();
                return renderer;
            }
            catch
            {
                TryDelete(profile);
                throw;
            }
        }

        private static async Task<Renderer> StartAsync(string chromium, string profile)
        {
            var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                UserDataDir = profile,
                // Over a pipe, not a port: chromium exits when the pipe closes, so a killed run (a worker ended for
                // a time limit, a test runner stopped) never leaves a browser behind.
                Pipe = true,
                Args = [.. ChromiumFlags],
            });
            try
            {
                var page = await browser.NewPageAsync();
                await page.SetRequestInterceptionAsync(true);
                page.Request += async (_, e) =>
                {
                    // Offline by construction: only the page itself and inline data.
                    string url = e.Request.Url;
                    if (url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("about:", StringComparison.Ordinal))
                    {
                        await e.Request.ContinueAsync();
                    }
                    else
                    {
                        await e.Request.AbortAsync();
                    }
                };
                string js = ChartFormatting.PlotlyJs.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
                await page.SetContentAsync("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>" + js +
                                           "</script></head><body></body></html>");
                await page.WaitForFunctionAsync("() => !!window.Plotly");
                return new Renderer(browser, page, profile);
            }
            catch
            {
                await browser.DisposeAsync();
                throw;
            }
        }

        public bool IsConnected => _browser.IsConnected && !_browser.IsClosed;

        public string Render(string figureJson) =>
            Task.Run(() => _page.EvaluateFunctionAsync<string>(DrawScript, figureJson)).WaitAsync(Timeout)
                .GetAwaiter().GetResult();

        public void Dispose()
        {
            try
            {
                _browser.CloseAsync().Wait(TimeSpan.FromSeconds(5));
                _browser.Dispose();
            }
            catch (Exception e) when (e is AggregateException or PuppeteerException or ObjectDisposedException)
            {
                // The browser is going away with the process anyway.
            }

            TryDelete(_profile);
        }

        private static void TryDelete(string dir)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temp profile is harmless.
            }
        }
    }
}
