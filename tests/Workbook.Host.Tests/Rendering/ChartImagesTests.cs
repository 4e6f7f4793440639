using System.Diagnostics;
using Workbook.Charts;
using Xunit.Abstractions;
using Workbook.Host.Rendering;

namespace Workbook.Host.Tests.Rendering;

public sealed class ChartImagesTests(ITestOutputHelper output)
{
    [FactNeedsChromium]
    public async Task A_chart_renders_to_a_png_of_the_default_size_quickly_after_the_first()
    {
        var chart = Plot.Line([1.0, 2.0, 3.0], [1.0, 4.0, 9.0], "squares").Titled("Squares", "x", "x squared");
        string figure = new ChartFormatting().FigureJson(chart);
        await using var images = new ChartImages();

        var first = Stopwatch.StartNew();
        string? png64 = await images.RenderPngAsync(figure);
        first.Stop();
        var next = Stopwatch.StartNew();
        const int more = 5;
        for (int i = 0; i < more; i++)
        {
            Assert.NotNull(await images.RenderPngAsync(figure));
        }

        next.Stop();
        output.WriteLine($"first chart (browser start included): {first.ElapsedMilliseconds} ms; " +
                         $"then {next.ElapsedMilliseconds / more} ms per chart");

        Assert.True(png64 is not null, "image/png: " + images.SkippedReason);
        byte[] png = Convert.FromBase64String(png64);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        int width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        int height = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        var layout = System.Text.Json.Nodes.JsonNode.Parse(figure)!["layout"];
        int expectedWidth = layout?["width"]?.GetValue<int>() ?? ChartImages.DefaultWidth;
        int expectedHeight = layout?["height"]?.GetValue<int>() ?? ChartImages.DefaultHeight;
        Assert.Equal((expectedWidth, expectedHeight), (width, height));
        Assert.True(png.Length > 5000, $"a drawn chart, not a blank image ({png.Length} bytes)");
    }

    [FactNeedsChromium]
    public async Task A_figure_without_a_size_gets_the_default_size()
    {
        // Plotly.NET's charts always carry a size; a figure from elsewhere may not.
        const string figure = """{"data":[{"type":"scatter","x":[1,2,3],"y":[1,4,9]}],"layout":{}}""";
        await using var images = new ChartImages();

        string? png64 = await images.RenderPngAsync(figure);

        Assert.True(png64 is not null, "image/png: " + images.SkippedReason);
        byte[] png = Convert.FromBase64String(png64);
        int width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        int height = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        Assert.Equal((ChartImages.DefaultWidth, ChartImages.DefaultHeight), (width, height));
    }

    [FactNeedsChromium]
    public async Task Chromium_and_every_process_it_starts_run_at_a_background_priority()
    {
        const string figure = """{"data":[{"type":"scatter","x":[1,2,3],"y":[1,4,9]}],"layout":{}}""";
        await using var images = new ChartImages { InBackground = true };
        Assert.True(await images.RenderPngAsync(figure) is not null, "image/png: " + images.SkippedReason);
        int browser = images.BrowserProcess!.Id;
        // Chromium starts threads as it works, and each sets its own priority when it starts.
        for (int i = 0; i < 5; i++)
        {
            Assert.NotNull(await images.RenderPngAsync(figure));
        }

        await Task.Delay(TimeSpan.FromSeconds(1));

        var threads = BackgroundPriorityTests.ThreadsOfTree(browser);
        int caller = BackgroundPriorityTests.NiceOfThisProcess();
        int below = Math.Min(19, caller + BackgroundPriority.Nice);

        Assert.True(threads.Count > 1, "chromium's threads");
        Assert.All(threads, t => Assert.True(BackgroundPriority.NiceOf(t) >= below, $"{t} ({Comm(t)}): nice {BackgroundPriority.NiceOf(t)}"));
        // The process that runs the cells keeps its priority on every thread: only chromium was started below.
        Assert.All(Directory.EnumerateDirectories($"/proc/{Environment.ProcessId}/task"),
            t => Assert.True(BackgroundPriority.NiceOf(t) is null || BackgroundPriority.NiceOf(t) == caller, $"{t} ({Comm(t)}): nice {BackgroundPriority.NiceOf(t)}"));
    }

    [FactNeedsChromium]
    public async Task By_default_chromium_runs_at_the_normal_priority()
    {
        // Runs that wait for every image (run, grade) gain nothing from a lower priority, and a busy machine would
        // starve chromium.
        const string figure = """{"data":[{"type":"scatter","x":[1,2,3],"y":[1,4,9]}],"layout":{}}""";
        await using var images = new ChartImages();
        Assert.True(await images.RenderPngAsync(figure) is not null, "image/png: " + images.SkippedReason);
        int browser = images.BrowserProcess!.Id;

        int caller = BackgroundPriorityTests.NiceOfThisProcess();
        Assert.True(BackgroundPriority.NiceOf($"/proc/{browser}") < Math.Min(19, caller + BackgroundPriority.Nice),
            $"chromium's main thread: nice {BackgroundPriority.NiceOf($"/proc/{browser}")}");
    }

    internal static string Comm(string procFolder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procFolder, "comm")).Trim();
        }
        catch (IOException)
        {
            return "gone";
        }
    }

    [FactNeedsChromium]
    public async Task Disposing_closes_chromium_and_then_removes_its_profile_folder()
    {
        const string figure = """{"data":[{"type":"scatter","x":[1,2,3],"y":[1,4,9]}],"layout":{}}""";
        var images = new ChartImages();
        Assert.True(await images.RenderPngAsync(figure) is not null, "image/png: " + images.SkippedReason);
        string profile = images.ProfileFolder!;
        Assert.StartsWith($"{ChartImages.ProfilePrefix}{Environment.ProcessId}-", Path.GetFileName(profile));
        Assert.True(File.Exists(Path.Combine(profile, "SingletonLock")) || Directory.Exists(Path.Combine(profile, "Default")),
            "chromium writes into its profile");

        await images.DisposeAsync();

        Assert.False(Directory.Exists(profile),
            "left behind: " + (Directory.Exists(profile) ? string.Join(", ", Directory.EnumerateFileSystemEntries(profile)) : ""));
        Assert.Null(images.ProfileFolder);
    }
}
