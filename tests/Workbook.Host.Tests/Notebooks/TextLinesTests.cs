using Workbook.Host.Notebooks;

namespace Workbook.Host.Tests.Notebooks;

public class TextLinesTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData(" \r\n\t\n", "")]
    [InlineData("one", "one")]
    [InlineData("\n\n  // first \r\nsecond", "// first")]
    [InlineData("first\r\nsecond", "first")]
    public void FirstLine_is_the_first_non_blank_line_trimmed(string? text, string expected) =>
        Assert.Equal(expected, TextLines.FirstLine(text));

    [Fact]
    public void FirstLine_cuts_a_long_line_and_marks_the_cut()
    {
        Assert.Equal("abc…", TextLines.FirstLine("  abcdef\nx", maxLength: 3));
        Assert.Equal("abc", TextLines.FirstLine("abc", maxLength: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextLines.FirstLine("abc", maxLength: 0));
    }

    [Fact]
    public void LinesAfterFirst_are_the_rest_of_the_message_without_trailing_blanks()
    {
        Assert.Equal(["  at A()", "", "  at B()"], TextLines.LinesAfterFirst("\nError: x\r\n  at A() \r\n\n  at B()\n\n"));
        Assert.Empty(TextLines.LinesAfterFirst("only"));
        Assert.Empty(TextLines.LinesAfterFirst(null));
    }
}
