using System.Text.Json.Nodes;
using Workbook.Host.Notebooks;
using Workbook.Host.Rendering;
using Workbook.Host.Running;
using Workbook.Host;

namespace Workbook.Jupyter.Tests;

/// <summary>A notebook behaves the same in an editor and in <c>workbook run</c>: every lesson and every homework
/// solution is executed through the kernel by nbclient (<c>jupyter nbconvert --execute</c> with no kernel name given: the
/// notebooks name the workbook kernel, which nbconvert then finds by itself) and compared with what
/// <see cref="NotebookRunner"/> produces.</summary>
public sealed class LessonThroughKernelTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("workbook-nbconvert-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [FactNeedsPython("nbconvert")]
    public Task Every_lesson_executed_by_nbconvert_through_the_kernel_matches_the_headless_runner() =>
        ExecutedThroughTheKernelMatchesTheRunner(WorkbookLayout.Find(AppContext.BaseDirectory).Lessons());

    /// <summary>The instructors' homework sources hold the solutions and the hidden tests: through the kernel
    /// every test cell passes, as it does under <c>assign</c>'s own check.</summary>
    [FactNeedsPython("nbconvert")]
    public Task Every_homework_solution_executed_by_nbconvert_through_the_kernel_matches_the_headless_runner() =>
        ExecutedThroughTheKernelMatchesTheRunner(WorkbookLayout.Find(AppContext.BaseDirectory).HomeworkSources());

    private async Task ExecutedThroughTheKernelMatchesTheRunner(IReadOnlyList<string> notebooks)
    {
        Assert.NotEmpty(notebooks);
        using var kernel = new InstalledKernel();
        foreach (string notebook in notebooks)
        {
            string executed = ExecuteWithNbconvert(notebook, kernel);
            var viaKernel = CodeCellSummaries(IpynbDocument.Load(executed));

            var run = await new NotebookRunner().RunAsync(notebook);
            Assert.True(run.Succeeded, run.FailureSummary);
            var viaRunner = CodeCellSummaries(run.Executed);

            Assert.Equal(viaRunner.Count, viaKernel.Count);
            for (int i = 0; i < viaRunner.Count; i++)
            {
                string where = $"{Path.GetFileName(notebook)}, code cell {i + 1}";
                Assert.True(viaRunner[i].Results.SequenceEqual(viaKernel[i].Results),
                    $"{where}: execute_result text/plain differs\n runner: {string.Join(" | ", viaRunner[i].Results)}\n kernel: {string.Join(" | ", viaKernel[i].Results)}");
                Assert.True(viaRunner[i].Charts == viaKernel[i].Charts,
                    $"{where}: {viaRunner[i].Charts} charts from the runner, {viaKernel[i].Charts} through the kernel");
                Assert.False(viaKernel[i].HasError, $"{where} failed in the kernel");
            }
        }
    }

    [FactNeedsPython("nbconvert")]
    public async Task A_notebook_saved_with_the_workbook_kernelspec_runs_headless()
    {
        var lesson = WorkbookLayout.Find(AppContext.BaseDirectory).Lessons()[0];
        using var kernel = new InstalledKernel();
        string executed = ExecuteWithNbconvert(lesson, kernel);
        var saved = JsonNode.Parse(File.ReadAllText(executed))!;
        Assert.Equal("C#", saved["metadata"]!["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal(KernelSpecs.DefaultName, saved["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());

        // As an editor saves it once the workbook kernel is picked.
        saved["metadata"]!["kernelspec"] = new JsonObject
        {
            ["name"] = KernelSpecs.DefaultName, ["display_name"] = KernelSpecs.DisplayName, ["language"] = "C#",
        };
        saved["metadata"]!.AsObject().Remove("polyglot_notebook");
        string path = Path.Combine(Path.GetDirectoryName(lesson)!, $"_kernel-saved-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, saved.ToJsonString());
        try
        {
            var document = IpynbDocument.Load(path);
            Assert.All(document.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.KernelName));
            var run = await new NotebookRunner().RunAsync(path);
            Assert.True(run.Succeeded, run.FailureSummary);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private string ExecuteWithNbconvert(string lesson, InstalledKernel kernel)
    {
        string name = Path.GetFileNameWithoutExtension(lesson);
        var (code, stdout, stderr) = ExternalClient.Run(ExternalClient.Python,
        [
            "-m", "nbconvert", "--to", "notebook", "--execute",
            "--ExecutePreprocessor.timeout=300",
            "--output-dir", _out, "--output", name, lesson,
        ], TimeSpan.FromMinutes(5), kernel.Environment);
        Assert.True(code == 0, $"nbconvert failed on {lesson} ({code}):\n{stdout}\n{stderr}");
        string executed = Path.Combine(_out, name + ".ipynb");
        Assert.True(File.Exists(executed), $"nbconvert wrote no {executed}");
        return executed;
    }

    private sealed record CellSummary(List<string> Results, int Charts, bool HasError);

    /// <summary>Per code cell: the text/plain of its execute_results, how many charts it drew, whether it failed.</summary>
    private static List<CellSummary> CodeCellSummaries(IpynbDocument document) =>
        document.Cells.Where(c => c.IsCode).Select(c =>
        {
            var outputs = c.Json["outputs"]?.AsArray().Select(o => o!.AsObject()).ToList() ?? [];
            var results = outputs.Where(o => Type(o) == "execute_result")
                .Select(o => Text(o["data"]?["text/plain"])).ToList();
            int charts = outputs.Count(o => Type(o) is "execute_result" or "display_data" &&
                                            Text(o["data"]?["text/html"]).Contains(ChartFormatting.ChartClass, StringComparison.Ordinal));
            return new CellSummary(results, charts, outputs.Any(o => Type(o) == "error"));
        }).ToList();

    private static string Type(JsonObject output) => output["output_type"]?.GetValue<string>() ?? "";

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => node.GetValue<string>(),
    };
}
