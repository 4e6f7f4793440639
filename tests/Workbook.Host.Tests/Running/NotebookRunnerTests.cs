using System.Text.Json.Nodes;
using Workbook.Host.Execution;
using Workbook.Host.Notebooks;
using Workbook.Host.Rendering;
using Workbook.Host.Running;

namespace Workbook.Host.Tests.Running;

public class NotebookRunnerTests
{
    [Fact]
    public async Task A_succeeding_notebook_collects_streams_displays_and_return_values()
    {
        var result = await new NotebookRunner().RunAsync(Fixture.Path("succeeds.ipynb"));

        Assert.True(result.Succeeded, result.FailureSummary);
        Assert.Equal(4, result.Cells.Count);
        var first = result.Cells[0].Outputs;
        Assert.Contains(first, o => o is StreamOutput { Name: "stdout" } s && s.Text.Contains("hello from stdout"));
        Assert.Contains(first, o => o is StreamOutput { Name: "stderr" } s && s.Text.Contains("hello from stderr"));

        var third = result.Cells[2].Outputs;
        Assert.Contains(third, o => o is DisplayOutput d && d.Data["text/plain"].Contains("a displayed value"));
        var value = Assert.Single(third.OfType<ReturnValueOutput>());
        Assert.Equal("2", value.Data["text/plain"]);   // entropy of a uniform over 4 = 2 bits, computed by the library
    }

    [Fact]
    public async Task Updating_a_display_replaces_that_output_and_no_other()
    {
        var result = await new NotebookRunner().RunAsync(Fixture.Path("display-update.ipynb"));

        Assert.True(result.Succeeded, result.FailureSummary);
        var displays = result.Cells[0].Outputs.OfType<DisplayOutput>().ToList();
        Assert.Equal(["step 2 of 2", "left alone"], displays.Select(d => d.Data["text/plain"]));
        Assert.NotEqual(displays[0].DisplayId, displays[1].DisplayId);
    }

    [Fact]
    public async Task A_notebook_runs_with_its_own_folder_as_current_directory_and_restores_it()
    {
        string before = Directory.GetCurrentDirectory();
        var result = await new NotebookRunner().RunAsync(Fixture.Path("succeeds.ipynb"));

        var value = Assert.Single(result.Cells[3].Outputs.OfType<ReturnValueOutput>());
        Assert.Equal("read relative to the notebook folder", value.Data["text/plain"]);
        Assert.Equal(before, Directory.GetCurrentDirectory());
    }

    [Fact]
    public async Task When_a_cell_throws_the_run_fails_and_names_the_cell()
    {
        var result = await new NotebookRunner().RunAsync(Fixture.Path("throws.ipynb"));

        Assert.False(result.Succeeded);
        var failed = Assert.IsType<CellResult>(result.FirstFailure);
        Assert.Equal(2, failed.CodeCellNumber);
        Assert.Equal("// this cell fails", failed.FirstLine);
        Assert.Equal("System.InvalidOperationException", failed.Error!.Name);
        Assert.Contains("boom from the fixture", failed.Error.Message);
        Assert.Contains("throws.ipynb: cell 2 (`// this cell fails`)", result.FailureSummary);
        Assert.Equal(2, result.Cells.Count);   // the cell after the failure did not run
    }

    [Fact]
    public async Task A_compile_error_fails_the_cell_with_the_compiler_diagnostic()
    {
        var result = await new NotebookRunner().RunAsync(Fixture.Path("compile-error.ipynb"));

        Assert.False(result.Succeeded);
        var error = result.FirstFailure!.Error!;
        Assert.Equal("CompilationError", error.Name);
        Assert.Contains("CS0029", error.Message);
    }

    [Fact]
    public async Task Nuget_directive_restores_a_package_and_charts_render_as_offline_html()
    {
        var result = await new NotebookRunner().RunAsync(Fixture.Path("nuget-chart.ipynb"));

        Assert.True(result.Succeeded, result.FailureSummary);
        var mean = Assert.Single(result.Cells[0].Outputs.OfType<ReturnValueOutput>());
        Assert.Equal("2", mean.Data["text/plain"]);
        // The install progress of #r "nuget:" is not kept as an output.
        Assert.DoesNotContain(result.Cells[0].Outputs, o => o is DisplayOutput d && d.Data.Values.Any(v => v.Contains("Installing")));

        // A chart, also as a cell's value, is a display with an id: its static image follows as an update.
        var chart = Assert.Single(result.Cells[1].Outputs.OfType<DisplayOutput>());
        Assert.NotNull(chart.DisplayId);
        string html = chart.Data["text/html"];
        Assert.Contains(ChartFormatting.ChartClass, html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains(ChartFormatting.PlotlyScriptId, html);   // first chart carries plotly.js inline
        // Apart from plotly.js itself (which names its CDN as a default for map tiles), nothing refers to the network.
        string withoutBundle = html.Replace(ChartFormatting.PlotlyJs, "");
        Assert.DoesNotContain("cdn.plot.ly", withoutBundle);
        Assert.DoesNotContain("https://", withoutBundle);
        Assert.DoesNotContain("requirejs", withoutBundle);

        var second = Assert.Single(result.Cells[2].Outputs.OfType<DisplayOutput>());
        Assert.DoesNotContain(ChartFormatting.PlotlyScriptId, second.Data["text/html"]);   // only once per notebook
    }

    [Fact]
    public async Task The_executed_notebook_keeps_metadata_and_gives_every_cell_an_id()
    {
        var result = await new NotebookRunner().RunAsync(Fixture.Path("succeeds.ipynb"));
        var json = JsonNode.Parse(result.Executed.ToJson())!.AsObject();

        Assert.Equal(4, json["nbformat"]!.GetValue<int>());
        Assert.Equal(5, json["nbformat_minor"]!.GetValue<int>());
        Assert.Equal(".net-csharp", json["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.NotNull(json["metadata"]!["polyglot_notebook"]);
        var cells = json["cells"]!.AsArray();
        Assert.All(cells, c => Assert.False(string.IsNullOrEmpty(c!["id"]?.GetValue<string>())));
        Assert.Equal(cells.Count, cells.Select(c => c!["id"]!.GetValue<string>()).Distinct().Count());
        var parameters = cells.Single(c => c!["metadata"]!["tags"] is JsonArray t && t.Any(x => x!.GetValue<string>() == "parameters"));
        Assert.Equal(2, parameters!["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void A_file_that_is_not_a_notebook_gets_a_clear_error()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "not-a-notebook-" + Guid.NewGuid() + ".ipynb");
        File.WriteAllText(path, "{ this is not json");
        try
        {
            var e = Assert.Throws<NotebookFormatException>(() => IpynbDocument.Load(path));
            Assert.Contains("is not valid JSON", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [FactNeedsPython("nbformat")]
    public async Task Executed_notebooks_pass_nbformat_validate()
    {
        string dir = Directory.CreateTempSubdirectory("workbook-nbformat-").FullName;
        try
        {
            foreach (string name in new[] { "succeeds.ipynb", "throws.ipynb", "nuget-chart.ipynb" })
            {
                var result = await new NotebookRunner().RunAsync(Fixture.Path(name));
                string outPath = System.IO.Path.Combine(dir, name);
                result.Executed.Save(outPath);
                var (code, _, err) = ExternalClient.Run(ExternalClient.Python,
                    ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))", outPath],
                    TimeSpan.FromSeconds(60));
                Assert.True(code == 0, $"{name}: nbformat.validate failed: {err}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
