using PuppeteerSharp;
using Workbook.Host.Rendering;
using Workbook.Host.Running;

namespace Workbook.Host.Tests.Rendering;

/// <summary>A chart with a slider (<see cref="Workbook.Charts.SliderChart"/>) moves when a reader drags it: in the
/// HTML book and in nbconvert's HTML, offline, in headless chromium. The fixture's slider has three steps (slopes 1,
/// 2, 3) and a reference line that is always shown.</summary>
public sealed class SliderInBrowserTests : IClassFixture<SliderInBrowserTests.Executed>
{
    private readonly Executed _executed;

    public SliderInBrowserTests(Executed executed) => _executed = executed;

    /// <summary>The slider fixture, executed once for the class.</summary>
    public sealed class Executed : IDisposable
    {
        public Executed()
        {
            var result = new NotebookRunner().RunAsync(Fixture.Path("slider.ipynb")).GetAwaiter().GetResult();
            Assert.True(result.Succeeded, result.FailureSummary);
            Notebook = System.IO.Path.Combine(Directory, "slider.ipynb");
            result.Executed.Save(Notebook);
        }

        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("workbook-slider-").FullName;

        public string Notebook { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "slider-screenshots");

    [FactNeedsChromium]
    public async Task Dragging_the_slider_in_the_book_shows_another_step_and_keeps_the_fixed_trace()
    {
        string book = Path.Combine(_executed.Directory, "book");
        var pages = BookRenderer.Render([_executed.Notebook], book);

        var (before, after) = await MoveSliderToTheEndAsync(Path.Combine(book, pages[0].FileName), "book");

        Assert.Equal(["slope 1", "reference"], before);
        Assert.Equal(["slope 3", "reference"], after);
    }

    [FactNeedsNbconvertAndChromium]
    public async Task Dragging_the_slider_in_nbconvert_html_shows_another_step()
    {
        string outDir = Path.Combine(_executed.Directory, "nbconvert");
        var (code, _, stderr) = ExternalClient.Run(Clients.Jupyter,
            ["nbconvert", "--to", "html", "--output-dir", outDir, _executed.Notebook], TimeSpan.FromSeconds(120));
        Assert.True(code == 0, stderr);

        var (before, after) = await MoveSliderToTheEndAsync(Path.Combine(outDir, "slider.html"), "nbconvert");

        Assert.Equal(["slope 1", "reference"], before);
        Assert.Equal(["slope 3", "reference"], after);
    }

    /// <summary>Opens <paramref name="file"/> offline (only file:// and data: loads succeed), waits for the chart,
    /// then presses the mouse on the right end of the slider's rail, as a reader would, and waits until the chart
    /// shows the step. Returns the names of the visible traces before and after.</summary>
    private static async Task<(string[] Before, string[] After)> MoveSliderToTheEndAsync(string file, string name)
    {
        string profile = Directory.CreateTempSubdirectory("workbook-slider-chromium-").FullName;
        try
        {
            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = Clients.Chromium,
                Headless = true,
                UserDataDir = profile,
                Args = [.. ChartImages.ChromiumFlags],
            });
            await using var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1200, Height = 900 });
            await page.SetRequestInterceptionAsync(true);
            page.Request += async (_, e) =>
            {
                string url = e.Request.Url;
                if (url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal))
                {
                    await e.Request.ContinueAsync();
                }
                else
                {
                    await e.Request.AbortAsync();
                }
            };
            await page.GoToAsync(new Uri(Path.GetFullPath(file)).AbsoluteUri);
            const string Chart = "document.querySelector('." + ChartFormatting.ChartClass + ".js-plotly-plot')";
            await page.WaitForFunctionAsync($"() => {Chart} && {Chart}.querySelector('.slider-container .slider-rail-rect')",
                new WaitForFunctionOptions { Timeout = 30_000 });
            string visible = $"() => {Chart}._fullData.filter(t => t.visible === true).map(t => t.name)";
            string drawnCount = $"() => {Chart}.querySelectorAll('.scatterlayer .trace').length";
            // Wait until the page has loaded and the first draw has settled: the figure's visible traces are the ones
            // on the page. (A page may draw its chart again from its load handler, which resets the slider.)
            await page.WaitForFunctionAsync(
                $"() => document.readyState === 'complete' && {Chart}._fullData && ({visible})().length > 0 && ({visible})().length === ({drawnCount})()",
                new WaitForFunctionOptions { Timeout = 30_000 });
            string[] before = await page.EvaluateFunctionAsync<string[]>(visible);
            await page.ScreenshotAsync(Path.Combine(CreatedScreenshots(), name + ".before.png"));

            var rail = await page.QuerySelectorAsync($".{ChartFormatting.ChartClass} .slider-container .slider-rail-rect");
            var box = await rail.BoundingBoxAsync();
            // The slider marks its last step active, then restyles the traces: wait for both. A click that lands
            // while plotly is still wiring the slider up is lost, so press again until the state is reached.
            string moved = $"before => {Chart}.layout.sliders[0].active === {Chart}.layout.sliders[0].steps.length - 1 &&" +
                           $" JSON.stringify(({visible})()) !== JSON.stringify(before)";
            string[] after = before;
            for (int attempt = 1; after.SequenceEqual(before); attempt++)
            {
                rail = await page.QuerySelectorAsync($".{ChartFormatting.ChartClass} .slider-container .slider-rail-rect");
                box = await rail.BoundingBoxAsync();
                await page.Mouse.ClickAsync(box.X + box.Width - 1, box.Y + box.Height / 2);
                try
                {
                    await page.WaitForFunctionAsync(moved, new WaitForFunctionOptions { Timeout = 3_000 }, before);
                }
                catch (WaitTaskTimeoutException) when (attempt < 10)
                {
                }

                // read the state again: a redraw after the click puts the slider back, and then it is pressed again
                after = await page.EvaluateFunctionAsync<bool>(moved, before)
                    ? await page.EvaluateFunctionAsync<string[]>(visible)
                    : before;
                Assert.True(attempt < 10 || !after.SequenceEqual(before), "the slider did not move after 10 presses");
            }
            // what is drawn, not only the figure's state: one line per visible trace
            int drawn = await page.EvaluateFunctionAsync<int>(drawnCount);
            await page.ScreenshotAsync(Path.Combine(CreatedScreenshots(), name + ".after.png"));
            Assert.Equal(after.Length, drawn);
            return (before, after);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static string CreatedScreenshots()
    {
        Directory.CreateDirectory(Screenshots);
        return Screenshots;
    }
}
