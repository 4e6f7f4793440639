using System.Text.Json.Nodes;

namespace Workbook.Jupyter.Tests;

/// <summary>Drives the kernel through Debian's jupyter_client (KernelManager, BlockingKernelClient), as VS Code's
/// Jupyter extension and JupyterLab do: clients/drive_kernel.py runs a session and prints a JSON report.</summary>
public sealed class JupyterClientTests : IClassFixture<JupyterClientTests.Session>
{
    private readonly JsonNode _report;

    public JupyterClientTests(Session session) => _report = session.Report;

    public sealed class Session : IDisposable
    {
        private readonly Lazy<JsonNode> _report;
        private readonly InstalledKernel _kernel = new();

        public Session()
        {
            _report = new Lazy<JsonNode>(() =>
            {
                string driver = Path.Combine(AppContext.BaseDirectory, "clients", "drive_kernel.py");
                var (code, stdout, stderr) = ExternalClient.Run(ExternalClient.Python, [driver, InstalledKernel.Name],
                    TimeSpan.FromMinutes(4), _kernel.Environment);
                Assert.True(code == 0, $"driver failed ({code}):\n{stdout}\n{stderr}");
                var report = JsonNode.Parse(stdout)!;
                Assert.True(report["failure"] is null, $"the session stopped: {report["failure"]}\n{stdout}\n{stderr}");
                return report;
            });
        }

        public JsonNode Report => _report.Value;

        public void Dispose() => _kernel.Dispose();
    }

    private JsonNode Step(string name) => _report[name] ?? throw new Xunit.Sdk.XunitException($"no '{name}' in the report");

    private static JsonObject? Output(JsonNode step, string type) =>
        step["outputs"]!.AsArray().Select(o => o!.AsObject()).FirstOrDefault(o => o["type"]!.GetValue<string>() == type);

    [FactNeedsPython("jupyter_client")]
    public void Kernel_info_names_protocol_5_3_and_csharp()
    {
        var info = Step("kernel_info");
        Assert.Equal("5.3", info["protocol_version"]!.GetValue<string>());
        Assert.Equal("workbook", info["implementation"]!.GetValue<string>());
        Assert.Equal("C#", info["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal(".cs", info["language_info"]!["file_extension"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", info["language_info"]!["mimetype"]!.GetValue<string>());
    }

    [FactNeedsPython("jupyter_client")]
    public void An_expression_gives_an_execute_result()
    {
        var step = Step("add");
        Assert.Equal("ok", step["status"]!.GetValue<string>());
        Assert.Equal("2", Output(step, "execute_result")!["text/plain"]!.GetValue<string>());
        Assert.NotNull(Output(step, "execute_input"));
    }

    [FactNeedsPython("jupyter_client")]
    public void Console_output_is_a_stdout_stream()
    {
        var stream = Output(Step("print"), "stream")!;
        Assert.Equal("stdout", stream["name"]!.GetValue<string>());
        Assert.Contains("hello from the workbook", stream["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [FactNeedsPython("jupyter_client")]
    public void A_chart_is_html_with_plotly_inlined_and_nothing_loaded_from_the_network()
    {
        var step = Step("chart");
        var chart = Output(step, "execute_result") ?? Output(step, "display_data")!;
        Assert.Contains("text/html", chart["mimetypes"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.True(chart["html_has_plotly"]!.GetValue<bool>(), "the first chart of a session inlines plotly.js");
        Assert.False(chart["html_loads_from_network"]!.GetValue<bool>());
    }

    [FactNeedsPythonAndChromium("jupyter_client")]
    public void A_charts_image_png_follows_its_reply_as_update_display_data_for_the_same_display_id()
    {
        var step = Step("chart");
        Assert.Equal("ok", step["status"]!.GetValue<string>());
        // Until the reply (and the idle status after it) the chart is HTML only: the image does not hold the cell up.
        var shown = Output(step, "display_data")!;
        Assert.DoesNotContain("image/png", shown["mimetypes"]!.AsArray().Select(m => m!.GetValue<string>()));
        string? id = shown["display_id"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(id), "the chart's display has no display_id");

        var update = step["after_idle"]!.AsArray().Select(o => o!.AsObject())
            .FirstOrDefault(o => o["type"]!.GetValue<string>() == "update_display_data");
        Assert.True(update is not null, "no update_display_data followed the chart: " + step["after_idle"]!.ToJsonString());
        Assert.Equal(id, update["display_id"]!.GetValue<string>());
        Assert.Contains("image/png", update["mimetypes"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Contains("text/html", update["mimetypes"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.True(update["png_bytes"]!.GetValue<int>() > 1000, $"the image is {update["png_bytes"]} bytes");
    }

    [FactNeedsPython("jupyter_client")]
    public void Updating_a_display_sends_update_display_data_for_the_same_display_id()
    {
        var step = Step("update_display");
        var shown = Output(step, "display_data")!;
        var update = Output(step, "update_display_data")!;
        Assert.Equal("step 1 of 2", shown["text/plain"]!.GetValue<string>());
        Assert.Equal("step 2 of 2", update["text/plain"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(shown["display_id"]?.GetValue<string>()), "the display has no display_id");
        Assert.Equal(shown["display_id"]!.GetValue<string>(), update["display_id"]!.GetValue<string>());
    }

    [FactNeedsPython("jupyter_client")]
    public void An_exception_is_an_error_with_a_readable_traceback()
    {
        var step = Step("error");
        Assert.Equal("error", step["status"]!.GetValue<string>());
        var error = Output(step, "error")!;
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("boom", error["evalue"]!.GetValue<string>());
        Assert.StartsWith("System.InvalidOperationException: boom", error["traceback"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [FactNeedsPython("jupyter_client")]
    public void Completion_of_Console_Wri_offers_WriteLine_replacing_Wri()
    {
        var complete = Step("complete");
        Assert.Contains("WriteLine", complete["matches"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(8, complete["cursor_start"]!.GetValue<int>());
        Assert.Equal(11, complete["cursor_end"]!.GetValue<int>());
    }

    [FactNeedsPython("jupyter_client")]
    public void An_open_brace_is_incomplete_and_hover_text_is_found()
    {
        Assert.Equal("incomplete", Step("is_complete_open_brace").GetValue<string>());
        Assert.True(Step("inspect")["found"]!.GetValue<bool>());
    }

    [FactNeedsPython("jupyter_client")]
    public void Interrupting_a_tight_loop_resets_the_kernel_which_then_executes_again()
    {
        var interrupt = Step("interrupt");
        Assert.Equal("error", interrupt["status"]!.GetValue<string>());
        Assert.Equal("KeyboardInterrupt", interrupt["ename"]!.GetValue<string>());
        Assert.True(interrupt["seconds"]!.GetValue<double>() < 20, $"the interrupt took {interrupt["seconds"]} s");

        var after = Step("after_interrupt");
        Assert.Equal("ok", after["status"]!.GetValue<string>());
        Assert.Equal("5", Output(after, "execute_result")!["text/plain"]!.GetValue<string>());
    }

    [FactNeedsPython("jupyter_client")]
    public void After_a_restart_the_kernel_executes_with_a_fresh_execution_count()
    {
        var after = Step("after_restart");
        Assert.Equal("ok", after["status"]!.GetValue<string>());
        Assert.Equal(1, after["execution_count"]!.GetValue<int>());
        Assert.Equal("42", Output(after, "execute_result")!["text/plain"]!.GetValue<string>());
    }

    [FactNeedsPython("jupyter_client")]
    public void Requests_queued_behind_a_failed_cell_are_aborted_and_later_ones_run()
    {
        Assert.Equal(["ok", "error", "aborted"], Step("run_all_after_error").AsArray().Select(s => s!.GetValue<string>()));
        var after = Step("after_aborted");
        Assert.Equal("ok", after["status"]!.GetValue<string>());
        Assert.Equal("2", Output(after, "execute_result")!["text/plain"]!.GetValue<string>());
    }
}
