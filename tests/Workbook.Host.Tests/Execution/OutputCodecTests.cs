using System.Text.Json.Nodes;
using Workbook.Host.Execution;

namespace Workbook.Host.Tests.Execution;

public class OutputCodecTests
{
    private static readonly CellOutput[] Every =
    [
        new StreamOutput("stdout", "two\nlines\n"),
        new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "shown", ["text/html"] = "<b>shown</b>" }, "d1"),
        new DisplayUpdateOutput(new Dictionary<string, string> { ["text/plain"] = "updated" }, "d1"),
        new ReturnValueOutput(new Dictionary<string, string> { ["text/plain"] = "42", ["application/json"] = "{\"a\":1}" }, 3),
        new ErrorOutput("System.Exception", "boom", ["System.Exception: boom", "   at Submission#1"]),
    ];

    [Fact]
    public void Every_output_survives_the_wire_format_unchanged()
    {
        foreach (var output in Every)
        {
            var back = OutputCodec.FromWire(JsonNode.Parse(OutputCodec.ToWire(output).ToJsonString())!.AsObject());
            Assert.Equal(output.GetType(), back.GetType());
            Assert.Equal(OutputCodec.ToWire(output).ToJsonString(), OutputCodec.ToWire(back).ToJsonString());
        }
    }

    [Theory]
    [InlineData("{\"kind\":\"bogus\"}", "unknown output kind 'bogus'")]
    [InlineData("{\"kind\":\"stream\",\"name\":\"stdout\"}", "no 'text'")]
    [InlineData("{\"kind\":\"result\",\"data\":{\"text/plain\":1},\"count\":1}", "'text/plain' is not a string")]
    [InlineData("{\"kind\":\"stream\",\"name\":3,\"text\":\"x\"}", "malformed")]
    [InlineData("{}", "no 'kind'")]
    public void A_malformed_wire_output_is_a_format_error_saying_what_is_wrong(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => OutputCodec.FromWire(JsonNode.Parse(json)!.AsObject()));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_in_a_json_mime_type_is_kept_as_text_in_ipynb_and_iopub()
    {
        var data = new Dictionary<string, string>
        {
            ["application/json"] = "{not json",
            ["application/vnd.plotly.v1+json"] = "{\"data\":[]}",
        };
        var output = new DisplayOutput(data);

        var ipynb = OutputCodec.ToIpynb(output)["data"]!.AsObject();
        Assert.Equal("{not json", ipynb["application/json"]!.GetValue<string>());
        Assert.IsType<JsonArray>(ipynb["application/vnd.plotly.v1+json"]!["data"]);

        var (type, content) = OutputCodec.ToIopub(output, 1);
        Assert.Equal("display_data", type);
        Assert.Equal("{not json", content["data"]!["application/json"]!.GetValue<string>());
        Assert.IsType<JsonObject>(content["data"]!["application/vnd.plotly.v1+json"]);
    }

    [Fact]
    public void Ipynb_text_is_a_list_of_lines_and_images_are_one_string()
    {
        var output = new DisplayOutput(new Dictionary<string, string>
        {
            ["text/plain"] = "a\nb",
            ["image/png"] = "iVBORw0KGgo=",
            ["image/svg+xml"] = "<svg>\n</svg>",
        });
        var data = OutputCodec.ToIpynb(output)["data"]!.AsObject();

        Assert.Equal(["a\n", "b"], data["text/plain"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("iVBORw0KGgo=", data["image/png"]!.GetValue<string>());
        Assert.IsType<JsonArray>(data["image/svg+xml"]);
    }

    [Fact]
    public void Iopub_messages_carry_the_display_id_the_execution_count_and_a_traceback()
    {
        var (updateType, update) = OutputCodec.ToIopub(Every[2], 7);
        Assert.Equal("update_display_data", updateType);
        Assert.Equal("d1", update["transient"]!["display_id"]!.GetValue<string>());

        var (resultType, result) = OutputCodec.ToIopub(Every[3], 7);
        Assert.Equal("execute_result", resultType);
        Assert.Equal(7, result["execution_count"]!.GetValue<int>());

        var (errorType, error) = OutputCodec.ToIopub(new ErrorOutput("E", "m", []), 7);
        Assert.Equal("error", errorType);
        Assert.Equal(["E: m"], error["traceback"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public void A_display_update_is_not_a_saved_output()
    {
        var e = Assert.Throws<ArgumentException>(() => OutputCodec.ToIpynb(Every[2]));
        Assert.Contains("OutputCollector", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_collector_merges_stream_writes_and_applies_updates_in_place()
    {
        var collector = new OutputCollector();
        collector.Add(new StreamOutput("stdout", "a"));
        collector.Add(new StreamOutput("stdout", "b"));
        collector.Add(new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "step 1" }, "d"));
        collector.Add(new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "other" }, "e"));
        collector.Add(new DisplayUpdateOutput(new Dictionary<string, string> { ["text/plain"] = "step 2" }, "d"));
        collector.Add(new DisplayUpdateOutput(new Dictionary<string, string> { ["text/plain"] = "never shown" }, "zz"));
        collector.Add(new StreamOutput("stdout", "c"));

        Assert.Collection(collector.Outputs,
            o => Assert.Equal("ab", Assert.IsType<StreamOutput>(o).Text),
            o => Assert.Equal("step 2", Assert.IsType<DisplayOutput>(o).Data["text/plain"]),
            o => Assert.Equal("other", Assert.IsType<DisplayOutput>(o).Data["text/plain"]),
            o => Assert.Equal("c", Assert.IsType<StreamOutput>(o).Text));
    }
}
