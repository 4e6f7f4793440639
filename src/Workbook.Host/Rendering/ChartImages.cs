using PuppeteerSharp;

namespace Workbook.Host.Rendering;

/// <summary>Static renderings of charts (image/png) for viewers that do not run scripts. One instance is one
/// session's renderer: it owns its headless chromium, started on the first chart and closed when the instance is
/// disposed (or the process exits), and chromium's profile folder, removed once chromium is gone. The profile of a
/// killed process is removed by the executor that ended it, or else when the next browser starts
/// (<see cref="TempFolders.Sweep"/>).</summary>
/// <remarks>The browser's page loads plotly.js (from Plotly.NET) once; each chart is then drawn with
/// <c>Plotly.toImage</c>, so a chart costs a draw, not a browser start. The page fetches nothing from the network.
/// Chromium is found through <c>WORKBOOK_CHROMIUM</c>, <c>/usr/bin/chromium</c>, or <c>chromium</c> /
/// <c>chromium-browser</c> on PATH; when it is missing or does not start, charts get no image (their HTML still
/// draws) and <see cref="SkippedReason"/> says why. Drawing is asynchronous and one chart at a time; no thread is
/// blocked while chromium works.</remarks>
internal sealed class ChartImages : IAsyncDisposable
{
    /// <summary>Image width in pixels when the chart's layout sets none.</summary>
    internal const int DefaultWidth = 700;

    /// <summary>Image height in pixels when the chart's layout sets none.</summary>
    internal const int DefaultHeight = 500;

    /// <summary>The name start of a browser's profile folder in the temporary folder (see <see cref="TempFolders"/>).</summary>
    internal const string ProfilePrefix = "workbook-chromium-";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Renderer? _renderer;
    private volatile string? _skippedReason;
    private int _skippedCount;
    private bool _disposed;

    /// <summary>The environment variable that tells a worker process to draw its images in the background
    /// (<see cref="InBackground"/>) when it is <c>background</c>.</summary>
    internal const string PriorityVariable = "WORKBOOK_CHART_IMAGES";

    /// <summary>Whether chromium runs below the cells (<see cref="BackgroundPriority"/>), for an editor's kernel where
    /// a reader's next cell should not wait for the previous chart's image; it then also gets longer to start and to
    /// draw, since it only has the CPU the cells leave. Off for runs that wait for every image anyway (<c>run</c>,
    /// <c>grade</c>), where a busy machine would only starve it.</summary>
    public bool InBackground { get; init; }

    /// <summary>Why images were skipped in this session (chromium missing or broken), or null.</summary>
    public string? SkippedReason => _skippedReason;

    /// <summary>How many charts got no image in this session.</summary>
    public int SkippedCount => Volatile.Read(ref _skippedCount);

    /// <summary>The profile folder of the running browser, or null when none runs.</summary>
    internal string? ProfileFolder => _renderer?.Profile;

    /// <summary>The running browser's process, or null when none runs.</summary>
    internal System.Diagnostics.Process? BrowserProcess => _renderer?.Process;

    /// <summary>A Plotly figure (JSON with data and layout) as a base64 PNG, or null when there is no chromium or
    /// plotly cannot draw the figure.</summary>
    public async Task<string?> RenderPngAsync(string figureJson, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_skippedReason is not null || _disposed)
            {
                Interlocked.Increment(ref _skippedCount);
                return null;
            }

            Renderer renderer;
            try
            {
                renderer = _renderer ??= await Renderer.StartAsync(InBackground, cancellationToken);
            }
            catch (Exception e) when (e is FileNotFoundException or PuppeteerException or IOException
                                          or InvalidOperationException or System.ComponentModel.Win32Exception
                                          or TimeoutException)
            {
                _skippedReason = e is FileNotFoundException ? e.Message : "chromium did not start: " + e.Message;
                Interlocked.Increment(ref _skippedCount);
                return null;
            }

            try
            {
                return await renderer.RenderAsync(figureJson, cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                // A chart plotly cannot draw gets no image; the others still do. A browser that went away (killed,
                // crashed, its pipe closed) is dropped, so the next chart starts a fresh one: a missing image is
                // never a failed cell.
                Interlocked.Increment(ref _skippedCount);
                if (!renderer.IsConnected)
                {
                    await renderer.DisposeAsync();
                    _renderer = null;
                }

                return null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the browser, if one was started.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            if (_renderer is { } renderer)
            {
                _renderer = null;
                await renderer.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
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

    private sealed class Renderer : IAsyncDisposable
    {
        private const string DrawScript = """
            async (figureJson, defaultWidth, defaultHeight) => {
              const fig = JSON.parse(figureJson);
              const layout = Object.assign({}, fig.layout || {});
              const width = layout.width || defaultWidth, height = layout.height || defaultHeight;
              const url = await window.Plotly.toImage({ data: fig.data, layout: layout, config: { staticPlot: true } },
                                                      { format: 'png', width: width, height: height });
              return url.substring(url.indexOf(',') + 1);
            }
            """;

        // How long chromium gets to start and to draw a chart, at the normal priority and below the cells.
        private static readonly TimeSpan NormalTimeout = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan BackgroundTimeout = TimeSpan.FromMinutes(3);

        // How long chromium gets to close, and then to die once killed.
        private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

        // A Unix socket's path has at most 107 bytes, and chromium's is TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket.
        private const int MaxTempForSocket = 107 - 45;

        private readonly IBrowser _browser;
        private readonly IPage _page;
        private int _closed;

        private readonly TimeSpan _timeout;

        private Renderer(IBrowser browser, IPage page, string profile, TimeSpan timeout)
        {
            _browser = browser;
            _page = page;
            _timeout = timeout;
            Profile = profile;
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        }

        /// <summary>The browser's profile folder, removed when the browser is closed.</summary>
        public string Profile { get; }

        /// <summary>The browser's process.</summary>
        public System.Diagnostics.Process? Process => _browser.Process;

        public static async Task<Renderer> StartAsync(bool inBackground, CancellationToken cancellationToken)
        {
            string chromium = FindChromium() ?? throw new FileNotFoundException(
                "chromium was not found (looked at WORKBOOK_CHROMIUM, /usr/bin/chromium, and chromium or " +
                "chromium-browser on PATH); install it with: apt-get install chromium");
            string profile = TempFolders.Create(ProfilePrefix);
            var timeout = inBackground ? BackgroundTimeout : NormalTimeout;
            var starting = StartAsync(chromium, profile, inBackground, timeout);
            try
            {
                return await starting.WaitAsync(timeout, cancellationToken);
            }
            catch
            {
                // A start given up on may still finish: its browser is closed then, and the profile goes either way.
                _ = starting.ContinueWith(async start =>
                {
                    if (start.IsCompletedSuccessfully)
                    {
                        await start.Result.DisposeAsync();
                    }
                    else
                    {
                        TempFolders.Delete(profile);
                    }
                }, TaskScheduler.Default).Unwrap();
                throw;
            }
        }

        private static async Task<Renderer> StartAsync(string chromium, string profile, bool inBackground, TimeSpan timeout)
        {
            // In the background, images are for saved notebooks, not for the reader who waits: chromium (its start
            // alone takes seconds of CPU) runs below the cells that run meanwhile, and so does all it starts.
            var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = inBackground ? BackgroundPriority.WriteLauncher(chromium, profile) : chromium,
                Headless = true,
                UserDataDir = profile,
                // Chromium's own temporary folder (its singleton socket's, which a killed chromium leaves behind) goes
                // inside the profile and so goes with it, unless the socket's path would then be too long.
                Env = { ["TMPDIR"] = profile.Length <= MaxTempForSocket ? profile : Path.GetTempPath() },
                // Over a pipe, not a port: chromium exits when the pipe closes, so a killed run (a worker ended for
                // a time limit, a test runner stopped) never leaves a browser behind.
                Pipe = true,
                Args = [.. ChromiumFlags],
                // Puppeteer's own limits (30 s by default) follow the renderer's.
                Timeout = (int)timeout.TotalMilliseconds,
            });
            try
            {
                var page = await browser.NewPageAsync();
                page.DefaultTimeout = (int)timeout.TotalMilliseconds;
                page.DefaultNavigationTimeout = (int)timeout.TotalMilliseconds;
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
                return new Renderer(browser, page, profile, timeout);
            }
            catch
            {
                await browser.DisposeAsync();
                End(browser.Process, CloseGrace, CloseGrace);
                throw;
            }
        }

        public bool IsConnected => _browser.IsConnected && !_browser.IsClosed;

        public Task<string> RenderAsync(string figureJson, CancellationToken cancellationToken) =>
            _page.EvaluateFunctionAsync<string>(DrawScript, figureJson, DefaultWidth, DefaultHeight)
                .WaitAsync(_timeout, cancellationToken);

        /// <summary>Closes the browser, waits until its process is gone (killing it when it does not go), and then
        /// removes its profile: a profile removed while chromium still writes is left half there.</summary>
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                return;
            }

            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            var chromium = _browser.Process;
            try
            {
                await _browser.CloseAsync().WaitAsync(CloseGrace);
            }
            catch (Exception e) when (e is AggregateException or PuppeteerException or ObjectDisposedException
                                          or TimeoutException)
            {
                // Ended below.
            }

            End(chromium, CloseGrace, CloseGrace);
            try
            {
                await _browser.DisposeAsync();
            }
            catch (Exception e) when (e is AggregateException or PuppeteerException or ObjectDisposedException)
            {
                // The browser is gone already.
            }

            TempFolders.Delete(Profile);
        }

        /// <summary>The process is exiting without disposing this renderer (a worker ends itself 3 s after it
        /// starts to exit): no goodbye to chromium, only its end, and then its profile goes.</summary>
        private void OnProcessExit(object? sender, EventArgs e)
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                return;
            }

            End(_browser.Process, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            TempFolders.Delete(Profile);
        }

        /// <summary>Waits up to <paramref name="toClose"/> for chromium to exit; when it does not, kills it (and
        /// what it started) and waits up to <paramref name="toDie"/>.</summary>
        private static void End(System.Diagnostics.Process? chromium, TimeSpan toClose, TimeSpan toDie)
        {
            try
            {
                if (chromium is not null && !chromium.WaitForExit(toClose))
                {
                    chromium.Kill(entireProcessTree: true);
                    chromium.WaitForExit(toDie);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception
                                          or NotSupportedException)
            {
                // Not started by us, or already gone.
            }
        }
    }
}
