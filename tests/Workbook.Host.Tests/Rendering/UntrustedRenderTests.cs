using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workbook.Host.Rendering;

namespace Workbook.Host.Tests.Rendering;

/// <summary>A notebook the book does not trust (a student's, a feedback notebook) renders inert: its HTML, scripts,
/// SVG and links are text or images, never live; the same notebook trusted renders its HTML.</summary>
public sealed class UntrustedRenderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-untrusted-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Hostile()
    {
        var nb = new JsonObject
        {
            ["nbformat"] = 4, ["nbformat_minor"] = 5, ["metadata"] = new JsonObject(),
            ["cells"] = new JsonArray(
                new JsonObject
                {
                    ["cell_type"] = "markdown", ["id"] = "m", ["metadata"] = new JsonObject(),
                    ["source"] = "# Title <img src=x onerror=alert(1)>\n\n<script>alert(2)</script> [click](javascript:alert(3)) ![x](http://tracker.example/p.png)\n",
                },
                new JsonObject
                {
                    ["cell_type"] = "code", ["id"] = "c", ["metadata"] = new JsonObject(), ["execution_count"] = 1,
                    ["source"] = "x",
                    ["outputs"] = new JsonArray(
                        new JsonObject
                        {
                            ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
                            ["data"] = new JsonObject { ["text/html"] = "<b onmouseover=alert(4)>bold</b>", ["text/plain"] = "plain form" },
                        },
                        new JsonObject
                        {
                            ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
                            ["data"] = new JsonObject { ["image/svg+xml"] = "<svg onload=alert(5)></svg>" },
                        },
                        new JsonObject
                        {
                            ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
                            ["data"] = new JsonObject { ["image/png"] = "\" onerror=\"alert(6)" },
                        }),
                }),
        };
        string path = Path.Combine(_dir, "hostile.ipynb");
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }

    /// <summary>The page with attribute values dropped, so escaped text inside an href cannot pass for a tag.</summary>
    private static string Tags(string html) => Regex.Replace(html, "\"[^\"]*\"", "\"\"");

    [Fact]
    public void An_untrusted_notebook_renders_with_nothing_live()
    {
        string book = Path.Combine(_dir, "book");
        BookRenderer.Render([Hostile()], book, trustOutputs: false);

        string page = File.ReadAllText(Path.Combine(book, "hostile.html"));
        string index = File.ReadAllText(Path.Combine(book, "index.html"));
        foreach (string html in (string[])[page, index])
        {
            Assert.DoesNotMatch(@"<[a-zA-Z][^>]*\s(onerror|onload|onmouseover)\s*=", Tags(html));
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("javascript:", html);
            Assert.DoesNotContain("tracker.example", html);
            Assert.DoesNotContain("<svg", html);
        }

        Assert.Contains("plain form", page);
        Assert.Contains("&lt;script&gt;alert(2)&lt;/script&gt;", page);
        Assert.Contains("src=\"data:image/svg+xml;base64,", page);
    }

    [Fact]
    public void The_same_notebook_trusted_renders_its_html()
    {
        string book = Path.Combine(_dir, "book");
        BookRenderer.Render([Hostile()], book, trustOutputs: true);

        string page = File.ReadAllText(Path.Combine(book, "hostile.html"));
        Assert.Contains("<b onmouseover=alert(4)>bold</b>", page);
        // An image whose data is not base64 is never written into an attribute, trusted or not.
        Assert.DoesNotContain("alert(6)", page);
    }
}
