using Workbook.Host.Execution;
using Workbook.Host.Grading;

namespace Workbook.Host.Tests.Grading;

public sealed class OutputCapTests
{
    private static List<CellOutput> Run(OutputCap cap, params CellOutput[] outputs)
    {
        var collector = new OutputCollector();
        var cell = cap.StartCell(collector);
        foreach (var o in outputs)
        {
            cell.Add(o);
        }

        cell.Finish();
        return collector.Outputs.ToList();
    }

    [Fact]
    public void Text_past_the_cell_limit_is_cut_and_the_cell_says_so()
    {
        var outputs = Run(new OutputCap(10, 1000), new StreamOutput("stdout", "0123456"), new StreamOutput("stdout", "789abcdef"),
            new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "dropped" }));

        Assert.Equal("0123456789", ((StreamOutput)outputs[0]).Text);
        Assert.Equal(2, outputs.Count);
        Assert.Equal("\n[output cut: this cell's output reached the grader's limit of 10 bytes; the rest is not recorded]\n",
            ((StreamOutput)outputs[1]).Text);
    }

    [Fact]
    public void Outputs_within_the_limits_are_kept_as_they_are_with_no_note()
    {
        var outputs = Run(new OutputCap(100, 1000), new StreamOutput("stdout", "hello"),
            new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "42" }));

        Assert.Equal(2, outputs.Count);
        Assert.Equal("hello", ((StreamOutput)outputs[0]).Text);
    }

    [Fact]
    public void The_notebook_limit_holds_across_cells_and_later_cells_say_where_it_was_reached()
    {
        var cap = new OutputCap(100, 150);
        var first = Run(cap, new StreamOutput("stdout", new string('a', 100)));
        var second = Run(cap, new StreamOutput("stdout", new string('b', 100)));
        var third = Run(cap, new StreamOutput("stdout", "c"));

        Assert.Single(first);
        Assert.Equal(new string('b', 50), ((StreamOutput)second[0]).Text);
        Assert.Contains("the notebook's outputs reached the grader's limit of 150 bytes", ((StreamOutput)second[1]).Text);
        Assert.Contains("the notebook's outputs reached", ((StreamOutput)Assert.Single(third)).Text);
    }

    [Fact]
    public void Errors_are_always_kept_with_their_lines_shortened()
    {
        var error = new ErrorOutput("Exception", new string('m', 10_000), Enumerable.Repeat(new string('t', 5000), 100).ToList());

        var kept = (ErrorOutput)Assert.Single(Run(new OutputCap(0, 0), error));

        Assert.True(kept.Message.Length < 2100);
        Assert.Equal(41, kept.Traceback.Count);
        Assert.All(kept.Traceback, l => Assert.True(l.Length < 2100));
    }

    [Fact]
    public void Multibyte_text_is_cut_on_a_character_boundary_within_the_byte_limit()
    {
        var outputs = Run(new OutputCap(7, 1000), new StreamOutput("stdout", "ééééé"));   // 2 bytes each

        Assert.Equal("ééé", ((StreamOutput)outputs[0]).Text);
    }
}
