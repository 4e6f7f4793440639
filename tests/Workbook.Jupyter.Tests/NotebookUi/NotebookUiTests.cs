using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Workbook.Host.Rendering;
using Workbook.Host;

namespace Workbook.Jupyter.Tests.NotebookUi;

/// <summary>The lessons in a real notebook UI, as a student meets them: Debian's Jupyter Notebook with only the
/// workbook kernel installed, driven through its pages by Playwright in Debian's headless chromium. Each lesson is
/// opened from the file list (the kernel named in its metadata starts with no prompt) and run with Cell → Run All;
/// no cell may fail and every chart must be drawn. A runaway cell is interrupted from the toolbar, and the kernel is
/// restarted from the Kernel menu. Screenshots go to <c>notebook-ui/</c> in the test output folder.</summary>
/// <remarks>Three lessons run, to keep the test to a few minutes (each takes 40-60 s on a 2-core machine that is
/// also building): 00 (the first a student opens), 03 (simulation, charts with sliders) and 07 (training; reads
/// data/ through a relative path); the lesson tests run every lesson through the same kernel. Waits are on the page's state (prompts,
/// the kernel indicator, drawn charts), never on the clock.</remarks>
public sealed class NotebookUiTests(NotebookUiTests.Session session) : IClassFixture<NotebookUiTests.Session>
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "notebook-ui");

    /// <summary>The server, started once for the class (lazily, so a skipped class starts nothing).</summary>
    public sealed class Session : IDisposable
    {
        private readonly Lazy<NotebookServer> _server = new(() => new NotebookServer());

        public NotebookServer Server => _server.Value;

        public void Dispose()
        {
            if (_server.IsValueCreated)
            {
                _server.Value.Dispose();
            }
        }
    }

    [TheoryNeedsNotebookUi]
    [InlineData("00_start-here.ipynb", 0)]
    [InlineData("03_cross-entropy.ipynb", 1)]
    [InlineData("07_training-with-cross-entropy.ipynb", 0)]
    public async Task A_lesson_opened_from_the_file_list_runs_all_cells_without_error_and_draws_every_chart(string lesson, int sliders)
    {
        await using var ui = await Browser.StartAsync();
        var notebook = await OpenFromFileListAsync(ui, lesson);

        await ClickMenuAsync(notebook, "#celllink", "#run_all_cells");
        await WaitUntilIdleAsync(notebook, TimeSpan.FromMinutes(5));
        await Screenshot(notebook, Path.GetFileNameWithoutExtension(lesson));

        string[] prompts = await notebook.EvaluateAsync<string[]>(
            "() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map(c => String(c.input_prompt_number))");
        Assert.NotEmpty(prompts);
        Assert.All(prompts.Select((p, i) => (p, i)), c =>
            Assert.True(int.TryParse(c.p, out _), $"{lesson}: code cell {c.i + 1} did not run (prompt '{c.p}')"));
        string errors = await notebook.EvaluateAsync<string>(
            "() => Array.from(document.querySelectorAll('.output_error')).map(e => e.innerText).join('\\n---\\n')");
        Assert.True(errors.Length == 0, $"{lesson}: error output:\n{errors}");

        int charts = await notebook.EvaluateAsync<int>(
            $"() => document.querySelectorAll('.output_area .{ChartFormatting.ChartClass}').length");
        Assert.True(charts > 0, $"{lesson} shows no chart");
        await notebook.WaitForFunctionAsync(
            $"n => document.querySelectorAll('.output_area .{ChartFormatting.ChartClass}.js-plotly-plot .main-svg').length >= n",
            charts, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await Screenshot(notebook, Path.GetFileNameWithoutExtension(lesson) + ".charts");

        // Charts with a slider move in the live notebook too: press the end of the first one's rail.
        var withSlider = notebook.Locator($".output_area .{ChartFormatting.ChartClass}:has(.slider-container .slider-rail-rect)");
        Assert.True(await withSlider.CountAsync() >= sliders, $"{lesson}: expected at least {sliders} chart(s) with a slider");
        if (sliders > 0)
        {
            var chart = withSlider.First;
            var rail = chart.Locator(".slider-rail-rect");
            await rail.ScrollIntoViewIfNeededAsync();
            const string Visible = "el => JSON.stringify(el._fullData.filter(t => t.visible === true).map(t => t.name))";
            string before = await chart.EvaluateAsync<string>(Visible);
            var box = (await rail.BoundingBoxAsync())!;
            await notebook.Mouse.ClickAsync(box.X + box.Width - 1, box.Y + box.Height / 2);
            await notebook.WaitForFunctionAsync(
                "([el, before]) => el.layout.sliders[0].active === el.layout.sliders[0].steps.length - 1 &&" +
                " JSON.stringify(el._fullData.filter(t => t.visible === true).map(t => t.name)) !== before",
                new object[] { await chart.ElementHandleAsync(), before }, new PageWaitForFunctionOptions { Timeout = 30_000 });
            await Screenshot(notebook, Path.GetFileNameWithoutExtension(lesson) + ".slider-moved");
        }
    }

    [FactNeedsNotebookUi]
    public async Task A_runaway_cell_is_interrupted_from_the_toolbar_the_next_cell_runs_and_the_kernel_restarts()
    {
        string name = "_interrupt-and-restart.ipynb";
        File.WriteAllText(Path.Combine(session.Server.NotebooksDirectory, name), Notebook(
            "var before = 41;",
            "while (true) { }",
            "\"ran after the interrupt\"",
            "\"ran after the restart\""));
        await using var ui = await Browser.StartAsync();
        var notebook = await OpenFromFileListAsync(ui, name);
        var run = notebook.Locator("button[data-jupyter-action='jupyter-notebook:run-cell-and-select-next']");

        await SelectCellAsync(notebook, 0);
        await run.ClickAsync();
        await WaitForPromptAsync(notebook, 0);

        await run.ClickAsync();   // the loop: cell 2
        await notebook.Locator("#kernel_indicator_icon.kernel_busy_icon").WaitForAsync();
        await Screenshot(notebook, "interrupt.1-busy");
        await notebook.Locator("button[data-jupyter-action='jupyter-notebook:interrupt-kernel']").ClickAsync();
        await WaitForPromptAsync(notebook, 1, TimeSpan.FromMinutes(1));
        string interrupted = await OutputTextAsync(notebook, 1);
        Assert.Contains("KeyboardInterrupt", interrupted);
        await Screenshot(notebook, "interrupt.2-interrupted");

        await SelectCellAsync(notebook, 2);
        await run.ClickAsync();
        await WaitForPromptAsync(notebook, 2);
        Assert.Contains("ran after the interrupt", await OutputTextAsync(notebook, 2));

        await ClickMenuAsync(notebook, "#kernellink", "#restart_kernel");
        await notebook.Locator(".modal-footer button", new PageLocatorOptions { HasTextString = "Restart" }).ClickAsync();
        await notebook.WaitForFunctionAsync(
            "() => Jupyter.notebook.kernel.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null" +
            " && document.querySelector('.modal-dialog') === null",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await SelectCellAsync(notebook, 3);
        await run.ClickAsync();
        await WaitForPromptAsync(notebook, 3);
        Assert.Contains("ran after the restart", await OutputTextAsync(notebook, 3));
        // A restart starts a new kernel: its first execution count is 1 again.
        Assert.Equal("1", await notebook.EvaluateAsync<string>("() => String(Jupyter.notebook.get_cell(3).input_prompt_number)"));
        await Screenshot(notebook, "interrupt.3-restarted");
    }

    /// <summary>Opens <paramref name="file"/> by clicking it in the file list (it opens in a new tab) and waits
    /// until its kernel is connected and idle; checks that the kernel started is the workbook's, with no prompt.</summary>
    private async Task<IPage> OpenFromFileListAsync(Browser ui, string file)
    {
        var tree = await ui.Context.NewPageAsync();
        await tree.GotoAsync(session.Server.TreeUrl);
        var link = tree.Locator($"#notebook_list a.item_link[href$='/{file}']");
        var notebook = await ui.Context.RunAndWaitForPageAsync(() => link.ClickAsync());
        await notebook.WaitForFunctionAsync(
            "() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel &&" +
            " Jupyter.notebook.kernel.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null",
            null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        Assert.Equal(0, await notebook.Locator(".modal-dialog").CountAsync());   // no "select a kernel" dialog
        Assert.Equal(KernelSpecs.DisplayName, (await notebook.Locator(".kernel_indicator_name").InnerTextAsync()).Trim());
        Assert.Equal(KernelSpecs.DefaultName, await notebook.EvaluateAsync<string>("() => Jupyter.notebook.kernel.name"));
        return notebook;
    }

    private static async Task ClickMenuAsync(IPage page, string menu, string item)
    {
        await page.Locator(menu).ClickAsync();
        await page.Locator(item).ClickAsync();
    }

    private static Task SelectCellAsync(IPage page, int index) =>
        page.EvaluateAsync($"() => Jupyter.notebook.select({index})");

    /// <summary>Waits until every code cell has finished (no <c>In [*]</c>) and the kernel indicator is idle.</summary>
    private static Task WaitUntilIdleAsync(IPage page, TimeSpan timeout) =>
        page.WaitForFunctionAsync(
            "() => Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code' || c.input_prompt_number !== '*') &&" +
            " document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null",
            null, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 250 });

    /// <summary>Waits until cell <paramref name="index"/> shows an execution count (it ran and finished).</summary>
    private static Task WaitForPromptAsync(IPage page, int index, TimeSpan? timeout = null) =>
        page.WaitForFunctionAsync(
            $"() => typeof Jupyter.notebook.get_cell({index}).input_prompt_number === 'number'",
            null, new PageWaitForFunctionOptions { Timeout = (float)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds });

    private static Task<string> OutputTextAsync(IPage page, int index) =>
        page.EvaluateAsync<string>($"() => Jupyter.notebook.get_cell({index}).output_area.element[0].innerText");

    private static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png") });
    }

    /// <summary>A notebook of C# code cells that names the workbook kernel.</summary>
    private static string Notebook(params string[] cells) => new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject
            {
                ["display_name"] = KernelSpecs.DisplayName, ["language"] = "C#", ["name"] = KernelSpecs.DefaultName,
            },
        },
        ["cells"] = new JsonArray(cells.Select((source, i) => (JsonNode)new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = $"cell-{i}", ["metadata"] = new JsonObject(),
            ["outputs"] = new JsonArray(), ["source"] = source,
        }).ToArray()),
    }.ToJsonString();

    /// <summary>Playwright driving Debian's chromium (never a browser Playwright would download).</summary>
    private sealed class Browser : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;

        private Browser(IPlaywright playwright, IBrowser browser, IBrowserContext context)
        {
            _playwright = playwright;
            _browser = browser;
            Context = context;
        }

        public IBrowserContext Context { get; }

        public static async Task<Browser> StartAsync()
        {
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChartImages.FindChromium(),
                Headless = true,
                Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
            });
            return new Browser(playwright, browser, context);
        }

        public async ValueTask DisposeAsync()
        {
            await Context.CloseAsync();
            await _browser.CloseAsync();
            _playwright.Dispose();
        }
    }
}
