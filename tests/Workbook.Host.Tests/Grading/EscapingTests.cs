using Workbook.Host.Grading;

namespace Workbook.Host.Tests.Grading;

public sealed class EscapingTests
{
    [Theory]
    [InlineData("=2+3", "'=2+3")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(2,3)", "\"'@SUM(2,3)\"")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("alice", "alice")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("x=1", "x=1")]
    [InlineData("", "")]
    public void A_csv_field_is_quoted_and_a_formula_is_neutralised(string field, string expected) =>
        Assert.Equal(expected, Escaping.CsvField(field));

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;")]
    [InlineData("[a](javascript:x)", "\\[a\\]\\(javascript\\:x\\)")]
    [InlineData("**bold**\n# head", "\\*\\*bold\\*\\* \\# head")]
    [InlineData("a & b", "a &amp; b")]
    public void Markdown_escaping_leaves_no_markup(string text, string expected) =>
        Assert.Equal(expected, Escaping.Markdown(text));

    [Fact]
    public void A_markdown_answer_keeps_its_emphasis_and_maths_but_no_html_or_links() =>
        Assert.Equal("*yes*, $H(p)$ &lt;script&gt; \\[l\\](http://x)", Escaping.MarkdownAnswer("*yes*, $H(p)$ <script> [l](http://x)"));

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "dots only")]
    [InlineData("..", "dots only")]
    [InlineData("...", "dots only")]
    [InlineData("a/b", "path separator")]
    [InlineData("a\\b", "path separator")]
    [InlineData("a\nb", "control character")]
    [InlineData("a\u001b[31mb", "control character")]
    [InlineData("ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé", "longer than 200 bytes")]
    public void A_student_id_that_is_not_a_file_name_is_refused_with_a_reason(string id, string reason) =>
        Assert.Contains(reason, StudentIds.Problem(id));

    [Theory]
    [InlineData("alice")]
    [InlineData("=2+3")]
    [InlineData(".hidden")]
    [InlineData("müller-ö")]
    [InlineData("<img src=x>")]
    public void Other_ids_are_accepted(string id) => Assert.Null(StudentIds.Problem(id));
}
