using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;

namespace Workbook.Host.Rendering;

/// <summary>One page of the book.</summary>
/// <param name="NotebookPath">The executed notebook it was rendered from.</param>
/// <param name="FileName">The page's file name in the book folder (<c>01_surprise.html</c>).</param>
/// <param name="Title">The notebook's first heading, or its file name when it has none.</param>
public sealed record BookPage(string NotebookPath, string FileName, string Title);

/// <summary>Renders executed notebooks as a static HTML book that reads from the file system with no network
/// and no kernel: <c>index.html</c> listing the notebooks in order, one page per notebook (prose with maths,
/// code, outputs, interactive charts, previous/next links), and <c>assets/</c> with plotly.js and KaTeX.</summary>
/// <remarks>Markdown is rendered with Markdig (maths between <c>$</c> and <c>$$</c> kept for KaTeX, which
/// renders it in the browser from <c>assets/katex</c>). Chart outputs carry plotly.js inline once per notebook
/// (<see cref="ChartFormatting"/>); the pages strip that copy and load <c>assets/plotly.min.js</c> instead.</remarks>
public static partial class BookRenderer
{
    /// <summary>The book's start page.</summary>
    public const string IndexFileName = "index.html";

    private const string ResourcePrefix = "book-assets/";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .Build();

    /// <summary>Writes the book for <paramref name="notebooks"/> (executed .ipynb files, in reading order) into
    /// <paramref name="outputDirectory"/> and returns its pages.</summary>
    /// <exception cref="NotebookFormatException">A file is not a notebook.</exception>
    public static IReadOnlyList<BookPage> Render(IReadOnlyList<string> notebooks, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        WriteAssets(outputDirectory);
        var documents = notebooks.Select(p => (Path: p, Doc: IpynbDocument.Load(p))).ToList();
        var pages = documents
            .Select(d => new BookPage(Path.GetFullPath(d.Path), Path.GetFileNameWithoutExtension(d.Path) + ".html",
                TitleOf(d.Doc) ?? Path.GetFileNameWithoutExtension(d.Path)))
            .ToList();
        for (int i = 0; i < pages.Count; i++)
        {
            string html = RenderPage(documents[i].Doc, pages[i], i > 0 ? pages[i - 1] : null,
                i + 1 < pages.Count ? pages[i + 1] : null);
            File.WriteAllText(Path.Combine(outputDirectory, pages[i].FileName), html, new UTF8Encoding(false));
        }

        File.WriteAllText(Path.Combine(outputDirectory, IndexFileName), RenderIndex(pages), new UTF8Encoding(false));
        return pages;
    }

    /// <summary>The text of the first markdown heading in <paramref name="document"/>, or null.</summary>
    public static string? TitleOf(IpynbDocument document)
    {
        foreach (var cell in document.Cells.Where(c => c.CellType == "markdown"))
        {
            var m = Heading().Match(cell.Source);
            if (m.Success)
            {
                return m.Groups[1].Value.Trim().TrimEnd('#').Trim();
            }
        }

        return null;
    }

    /// <summary>Removes the inline plotly.js (<c>&lt;script id="workbook-plotlyjs"&gt;</c>) from chart HTML.</summary>
    public static string StripInlinePlotly(string html) => InlinePlotly().Replace(html, "");

    private static void WriteAssets(string outputDirectory)
    {
        string assets = Path.Combine(outputDirectory, "assets");
        Directory.CreateDirectory(assets);
        File.WriteAllText(Path.Combine(assets, "plotly.min.js"), ChartFormatting.PlotlyJs, new UTF8Encoding(false));
        var assembly = typeof(BookRenderer).Assembly;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            string relative = name[ResourcePrefix.Length..].Replace('\\', '/');
            if (relative.EndsWith(".md", StringComparison.Ordinal) && !relative.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            string target = Path.Combine(assets, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(target);
            source.CopyTo(file);
        }
    }

    private static string RenderIndex(IReadOnlyList<BookPage> pages)
    {
        var sb = new StringBuilder();
        Head(sb, "Workbook: entropy and cross-entropy");
        sb.Append("<h1>Workbook: entropy and cross-entropy</h1>\n<p>The executed notebooks, in order. ")
          .Append("Everything here reads from disk: no kernel, no network.</p>\n<ol class=\"lessons\">\n");
        foreach (var page in pages)
        {
            sb.Append("<li><a href=\"").Append(Attr(page.FileName)).Append("\">").Append(TitleHtml(page.Title))
              .Append("</a> <small>(").Append(Text(Path.GetFileName(page.NotebookPath))).Append(")</small></li>\n");
        }

        sb.Append("</ol>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string RenderPage(IpynbDocument doc, BookPage page, BookPage? previous, BookPage? next)
    {
        var sb = new StringBuilder();
        Head(sb, page.Title);
        Pager(sb, previous, next, "top");
        sb.Append("<main>\n");
        foreach (var cell in doc.Cells)
        {
            switch (cell.CellType)
            {
                case "markdown":
                    sb.Append("<section class=\"cell markdown\">\n")
                      .Append(Markdig.Markdown.ToHtml(cell.Source, Markdown))
                      .Append("</section>\n");
                    break;
                case "code":
                    CodeCell(sb, cell);
                    break;
                default:
                    sb.Append("<section class=\"cell raw\"><pre>").Append(Text(cell.Source)).Append("</pre></section>\n");
                    break;
            }
        }

        sb.Append("</main>\n");
        Pager(sb, previous, next, "bottom");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void CodeCell(StringBuilder sb, NotebookCell cell)
    {
        string count = cell.Json["execution_count"] is JsonValue v && v.TryGetValue(out int n)
            ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : " ";
        sb.Append("<section class=\"cell code\">\n");
        if (cell.Tags.Count > 0)
        {
            sb.Append("<div class=\"tag\">").Append(Text(string.Join(", ", cell.Tags))).Append("</div>\n");
        }

        sb.Append("<div class=\"input\"><span class=\"prompt\">In [").Append(count).Append("]:</span><pre><code class=\"language-csharp\">")
          .Append(Text(cell.Source)).Append("</code></pre></div>\n<div class=\"outputs\">\n");
        foreach (var output in cell.OutputsJson.OfType<JsonObject>())
        {
            Output(sb, output);
        }

        sb.Append("</div>\n</section>\n");
    }

    private static void Output(StringBuilder sb, JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                string name = output["name"]?.GetValue<string>() ?? "stdout";
                sb.Append("<div class=\"output ").Append(Attr(name)).Append("\"><pre>")
                  .Append(Text(Joined(output["text"]))).Append("</pre></div>\n");
                break;
            case "display_data" or "execute_result":
                if (output["data"] is JsonObject data)
                {
                    sb.Append("<div class=\"output display\">").Append(Bundle(data)).Append("</div>\n");
                }

                break;
            case "error":
                string traceback = output["traceback"] is JsonArray tb
                    ? string.Join("\n", tb.Select(l => l?.GetValue<string>() ?? ""))
                    : "";
                sb.Append("<div class=\"output error\"><pre>")
                  .Append(Text(output["ename"]?.GetValue<string>() + ": " + output["evalue"]?.GetValue<string>()))
                  .Append(traceback.Length > 0 ? "\n" + Text(Ansi().Replace(traceback, "")) : "")
                  .Append("</pre></div>\n");
                break;
        }
    }

    private static string Bundle(JsonObject data)
    {
        string? Get(string mime) => data[mime] is { } node ? Joined(node) : null;
        string? png = Get("image/png");
        if (Get("text/html") is { } html)
        {
            string body = StripInlinePlotly(html);
            if (png is not null && html.Contains(ChartFormatting.ChartClass, StringComparison.Ordinal))
            {
                body += $"<noscript><img alt=\"chart\" src=\"data:image/png;base64,{png.Trim()}\"></noscript>";
            }

            return body;
        }

        if (Get("image/svg+xml") is { } svg)
        {
            return svg;
        }

        if (png is not null)
        {
            return $"<img alt=\"image output\" src=\"data:image/png;base64,{png.Trim()}\">";
        }

        if (Get("image/jpeg") is { } jpeg)
        {
            return $"<img alt=\"image output\" src=\"data:image/jpeg;base64,{jpeg.Trim()}\">";
        }

        if (Get("text/markdown") is { } md)
        {
            return "<div class=\"markdown\">" + Markdig.Markdown.ToHtml(md, Markdown) + "</div>";
        }

        return "<pre>" + Text(Get("text/plain") ?? "") + "</pre>";
    }

    private static void Head(StringBuilder sb, string title)
    {
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(Text(title)).Append("</title>\n")
          .Append("<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">\n")
          .Append("<link rel=\"stylesheet\" href=\"assets/book.css\">\n")
          .Append("<script src=\"assets/plotly.min.js\"></script>\n")
          .Append("<script defer src=\"assets/katex/katex.min.js\"></script>\n")
          .Append("<script defer src=\"assets/book.js\"></script>\n")
          .Append("</head>\n<body>\n");
    }

    private static void Pager(StringBuilder sb, BookPage? previous, BookPage? next, string where)
    {
        sb.Append("<nav class=\"pager ").Append(where).Append("\">");
        sb.Append(previous is null ? "<span></span>" : $"<a rel=\"prev\" href=\"{Attr(previous.FileName)}\">&larr; {TitleHtml(previous.Title)}</a>");
        sb.Append("<a href=\"").Append(IndexFileName).Append("\">Contents</a>");
        sb.Append(next is null ? "<span></span>" : $"<a rel=\"next\" href=\"{Attr(next.FileName)}\">{TitleHtml(next.Title)} &rarr;</a>");
        sb.Append("</nav>\n");
    }

    private static string Joined(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue v when v.TryGetValue(out string? s) => s,
        null => "",
        _ => node.ToJsonString(),
    };

    private static string Text(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>A title as HTML: text escaped, and $...$ maths marked up for KaTeX like Markdig's inline maths.</summary>
    private static string TitleHtml(string title) =>
        InlineMath().Replace(Text(title), m => "<span class=\"math\">\\(" + m.Groups[1].Value + "\\)</span>");

    [GeneratedRegex(@"\$([^$]+)\$")]
    private static partial Regex InlineMath();

    private static string Attr(string s) => WebUtility.HtmlEncode(s);

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex("<script[^>]*\\bid=\"" + ChartFormatting.PlotlyScriptId + "\"[^>]*>.*?</script>\\s*", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlinePlotly();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();
}
