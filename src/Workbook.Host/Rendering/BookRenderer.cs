using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Rendering;

/// <summary>One page of the book.</summary>
/// <param name="NotebookPath">The executed notebook it was rendered from.</param>
/// <param name="FileName">The page's file name in the book folder (<c>01_surprise.html</c>).</param>
/// <param name="Title">The notebook's first heading, or its file name when it has none.</param>
/// <param name="Summary">One line (markdown) on what the notebook shows: <c>metadata.workbook.summary</c>, else the
/// first paragraph after its first heading; null when it has neither.</param>
/// <param name="NotebookFile">The copy of the executed notebook in the book folder, relative to it
/// (<c>notebooks/01_surprise.ipynb</c>), which the index and the page link for download.</param>
public sealed record BookPage(string NotebookPath, string FileName, string Title, string? Summary, string NotebookFile);

/// <summary>Renders executed notebooks as a static HTML book that reads from the file system with no network
/// and no kernel: <c>index.html</c> (what the workbook is, how to read, rerun and assign it, and the notebooks in
/// order with a line each), one page per notebook (prose with maths, code, outputs, interactive charts,
/// previous/next links), <c>notebooks/</c> with a copy of each executed notebook for download, and <c>assets/</c>
/// with plotly.js and KaTeX.</summary>
/// <remarks>Markdown is rendered with Markdig (maths between <c>$</c> and <c>$$</c> kept for KaTeX, which
/// renders it in the browser from <c>assets/katex</c>). Chart outputs carry plotly.js inline once per notebook
/// (<see cref="ChartFormatting"/>); the pages strip that copy and load <c>assets/plotly.min.js</c> instead.</remarks>
public static partial class BookRenderer
{
    /// <summary>The book's start page.</summary>
    public const string IndexFileName = "index.html";

    /// <summary>The book's subfolder holding the copies of the executed notebooks.</summary>
    public const string NotebooksFolder = "notebooks";

    private const string ResourcePrefix = "book-assets/";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .Build();

    /// <summary>Markdown from a notebook the book does not trust: raw HTML is shown as text.</summary>
    private static readonly MarkdownPipeline UntrustedMarkdown = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .DisableHtml()
        .Build();

    /// <summary>Writes the book for <paramref name="notebooks"/> (executed .ipynb files, in reading order) into
    /// <paramref name="outputDirectory"/> and returns its pages.</summary>
    /// <exception cref="NotebookFormatException">A file is not a notebook.</exception>
    public static IReadOnlyList<BookPage> Render(IReadOnlyList<string> notebooks, string outputDirectory) =>
        Render(notebooks, outputDirectory, trustOutputs: true);

    /// <summary>Writes the book for <paramref name="notebooks"/> into <paramref name="outputDirectory"/> and returns
    /// its pages. With <paramref name="trustOutputs"/> false (notebooks from someone else: a student's submission,
    /// a feedback notebook, a download), nothing in them is live: HTML and JavaScript outputs are shown by their
    /// image or text form, raw HTML in markdown as text, SVG only as an image, and links or images that point
    /// anywhere but the page itself, the web or embedded data are cut, as Jupyter treats an untrusted notebook.</summary>
    /// <exception cref="NotebookFormatException">A file is not a notebook.</exception>
    public static IReadOnlyList<BookPage> Render(IReadOnlyList<string> notebooks, string outputDirectory, bool trustOutputs)
    {
        Directory.CreateDirectory(outputDirectory);
        WriteAssets(outputDirectory);
        var documents = notebooks.Select(p => (Path: p, Doc: IpynbDocument.Load(p))).ToList();
        var pages = documents
            .Select(d => new BookPage(Path.GetFullPath(d.Path), Path.GetFileNameWithoutExtension(d.Path) + ".html",
                TitleOf(d.Doc) ?? Path.GetFileNameWithoutExtension(d.Path), SummaryOf(d.Doc),
                NotebooksFolder + "/" + Path.GetFileName(d.Path)))
            .ToList();
        string copies = Path.Combine(outputDirectory, NotebooksFolder);
        Directory.CreateDirectory(copies);
        var pageOfNotebook = pages.ToDictionary(p => Path.GetFileName(p.NotebookPath), p => p.FileName, StringComparer.Ordinal);
        for (int i = 0; i < pages.Count; i++)
        {
            string html = RenderPage(documents[i].Doc, pages[i], i > 0 ? pages[i - 1] : null,
                i + 1 < pages.Count ? pages[i + 1] : null, pageOfNotebook, trustOutputs);
            File.WriteAllText(Path.Combine(outputDirectory, pages[i].FileName), html, new UTF8Encoding(false));
            string copy = Path.Combine(copies, Path.GetFileName(pages[i].NotebookPath));
            if (!string.Equals(Path.GetFullPath(copy), pages[i].NotebookPath, StringComparison.Ordinal))
            {
                File.Copy(pages[i].NotebookPath, copy, overwrite: true);
            }
        }

        File.WriteAllText(Path.Combine(outputDirectory, IndexFileName), RenderIndex(pages, trustOutputs), new UTF8Encoding(false));
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

    /// <summary>One line on what <paramref name="document"/> shows, as markdown: <c>metadata.workbook.summary</c>
    /// when set, else the first paragraph after the first heading of the first markdown cell that has one.</summary>
    public static string? SummaryOf(IpynbDocument document)
    {
        if (document.Metadata["workbook"]?["summary"] is JsonValue v && v.TryGetValue(out string? summary) &&
            !string.IsNullOrWhiteSpace(summary))
        {
            return summary.Trim();
        }

        foreach (var cell in document.Cells.Where(c => c.CellType == "markdown"))
        {
            var m = Heading().Match(cell.Source);
            if (!m.Success)
            {
                continue;
            }

            string after = cell.Source[(m.Index + m.Length)..];
            string? paragraph = ParagraphBreak().Split(after).Select(p => p.Trim())
                .FirstOrDefault(p => p.Length > 0 && !p.StartsWith('#'));
            return paragraph is null ? null : string.Join(' ', paragraph.Split('\n', StringSplitOptions.TrimEntries));
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

    private static string RenderIndex(IReadOnlyList<BookPage> pages, bool trusted)
    {
        var sb = new StringBuilder();
        Head(sb, "Workbook: entropy and cross-entropy");
        sb.Append(IndexIntroduction);
        sb.Append("<h2 id=\"lessons\">The notebooks</h2>\n<ol class=\"lessons\">\n");
        foreach (var page in pages)
        {
            sb.Append("<li><a href=\"").Append(Attr(page.FileName)).Append("\">").Append(TitleHtml(page.Title)).Append("</a>");
            if (page.Summary is { } summary)
            {
                sb.Append("<br><span class=\"summary\">").Append(InlineMarkdown(summary, trusted)).Append("</span>");
            }

            sb.Append(" <small>").Append(DownloadLink(page)).Append("</small></li>\n");
        }

        sb.Append("</ol>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>What the workbook is and how to use it: the top of the index.</summary>
    private const string IndexIntroduction = """
        <h1>Workbook: entropy and cross-entropy</h1>
        <p class="lead">A course in C# notebooks, from “how surprising is a long sequence of coin flips?” to training a
        classifier with cross-entropy loss. Each notebook asks a question, computes the answer with the workbook's C#
        library, checks every claim it makes, and plots the results with Plotly.NET.</p>
        <h2>How to use it</h2>
        <dl class="usage">
        <dt>Read</dt>
        <dd>The pages below are the executed notebooks, in order: the prose with its maths, the code, its outputs and
        interactive charts (hover for values; drag a slider where a chart has one). They read from disk, with no kernel
        and no network. Beside each title is the executed notebook itself (<code>.ipynb</code>, outputs included) to
        open in Jupyter, VS Code or any notebook viewer.</dd>
        <dt>Rerun</dt>
        <dd>In a clone of the workbook, with the .NET 10 SDK: <code>dotnet run --project src/Workbook.Cli -- run</code>
        executes every notebook again and rebuilds this book. Every notebook has a parameters cell; rerun one with your
        own values with <code>run notebooks/02_simulating-draws.ipynb --set N=1000000 --set seed=7</code>
        (<code>--list-parameters</code> shows what can be set). To edit and run cells yourself, install the kernel
        once with <code>dotnet run --project src/Workbook.Cli -- kernel install --user</code> and open a notebook from
        <code>notebooks/</code> in VS Code (Jupyter extension) or Jupyter: it starts <b>C# (Workbook)</b> by itself.</dd>
        <dt>Assign</dt>
        <dd>Instructors turn a homework source from <code>notebooks/homework/</code> into a student version with
        <code>assign SOURCE --out handout/</code> and grade the returned notebooks with
        <code>grade --assignment SOURCE submissions/*.ipynb --out grades/</code>; students run their visible tests with
        <code>check NOTEBOOK</code>. The README in the clone has the details.</dd>
        </dl>

        """;

    private static string DownloadLink(BookPage page) =>
        $"<a class=\"download\" download href=\"{Attr(page.NotebookFile)}\">{Text(Path.GetFileName(page.NotebookFile))}</a>";

    /// <summary>A line of markdown as inline HTML (no surrounding paragraph).</summary>
    private static string InlineMarkdown(string markdown, bool trusted)
    {
        string html = MarkdownHtml(markdown, trusted).Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal)
            ? html[3..^4]
            : html;
    }

    /// <summary>Markdown as HTML; untrusted markdown has its raw HTML escaped and its unsafe links cut.</summary>
    private static string MarkdownHtml(string markdown, bool trusted)
    {
        if (trusted)
        {
            return Markdig.Markdown.ToHtml(markdown, Markdown);
        }

        var document = Markdig.Markdown.Parse(markdown, UntrustedMarkdown);
        foreach (var link in Markdig.Syntax.MarkdownObjectExtensions.Descendants<Markdig.Syntax.Inlines.LinkInline>(document))
        {
            if (!IsSafeUrl(link.Url, link.IsImage))
            {
                link.Url = "#";
            }
        }

        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        UntrustedMarkdown.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>A link to the web, mail or a place in the page; an image only embedded (PNG, JPEG, GIF) or beside the
    /// page (a relative path), so an untrusted page neither runs script nor calls out when opened.</summary>
    private static bool IsSafeUrl(string? url, bool image)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        string u = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()).ToLowerInvariant();
        if (image)
        {
            return u.StartsWith("data:image/png;", StringComparison.Ordinal) || u.StartsWith("data:image/jpeg;", StringComparison.Ordinal) ||
                   u.StartsWith("data:image/gif;", StringComparison.Ordinal) || !u.Contains(':', StringComparison.Ordinal) && !u.StartsWith("//", StringComparison.Ordinal);
        }

        return u.StartsWith("http://", StringComparison.Ordinal) || u.StartsWith("https://", StringComparison.Ordinal) ||
               u.StartsWith("mailto:", StringComparison.Ordinal) || !u.Contains(':', StringComparison.Ordinal);
    }

    private static string RenderPage(IpynbDocument doc, BookPage page, BookPage? previous, BookPage? next,
        IReadOnlyDictionary<string, string> pageOfNotebook, bool trusted)
    {
        var sb = new StringBuilder();
        Head(sb, page.Title);
        Pager(sb, previous, next, "top");
        sb.Append("<p class=\"download\">The executed notebook: ").Append(DownloadLink(page)).Append("</p>\n");
        sb.Append("<main>\n");
        foreach (var cell in doc.Cells)
        {
            switch (cell.CellType)
            {
                case "markdown":
                    sb.Append("<section class=\"cell markdown\">\n")
                      .Append(LinksToPages(MarkdownHtml(cell.Source, trusted), pageOfNotebook))
                      .Append("</section>\n");
                    break;
                case "code":
                    CodeCell(sb, cell, trusted);
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

    private static void CodeCell(StringBuilder sb, NotebookCell cell, bool trusted)
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
            Output(sb, output, trusted);
        }

        sb.Append("</div>\n</section>\n");
    }

    private static void Output(StringBuilder sb, JsonObject output, bool trusted)
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
                    sb.Append("<div class=\"output display\">").Append(Bundle(data, trusted)).Append("</div>\n");
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

    private static string Bundle(JsonObject data, bool trusted)
    {
        string? Get(string mime) => data[mime] is { } node ? Joined(node) : null;
        string? Image(string mime) => Get(mime) is { } b64 && IsBase64(b64)
            ? $"<img alt=\"image output\" src=\"data:{mime};base64,{b64.Trim()}\">"
            : null;
        string? png = Image("image/png");
        if (trusted && Get("text/html") is { } html)
        {
            string body = StripInlinePlotly(html);
            if (png is not null && html.Contains(ChartFormatting.ChartClass, StringComparison.Ordinal))
            {
                body += "<noscript>" + png.Replace("alt=\"image output\"", "alt=\"chart\"", StringComparison.Ordinal) + "</noscript>";
            }

            return body;
        }

        if (Get("image/svg+xml") is { } svg)
        {
            // Untrusted SVG only as an image, where its scripts do not run.
            return trusted
                ? svg
                : $"<img alt=\"image output\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(svg))}\">";
        }

        if ((png ?? Image("image/jpeg")) is { } image)
        {
            return image;
        }

        if (Get("text/markdown") is { } md)
        {
            return "<div class=\"markdown\">" + MarkdownHtml(md, trusted) + "</div>";
        }

        return "<pre>" + Text(Get("text/plain") ??
                              (data["text/html"] is not null ? "[an HTML output of a notebook the book does not trust]" : "")) + "</pre>";
    }

    private static bool IsBase64(string s) =>
        s.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '\n' or '\r' or ' ');

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

    /// <summary>Points links to other notebooks of the book (<c>href="01_x.ipynb"</c>, as lessons link each other)
    /// at their pages.</summary>
    private static string LinksToPages(string html, IReadOnlyDictionary<string, string> pageOfNotebook) =>
        NotebookLink().Replace(html, m =>
            pageOfNotebook.TryGetValue(WebUtility.HtmlDecode(m.Groups[1].Value), out string? page)
                ? "href=\"" + Attr(page) + m.Groups[2].Value + "\""
                : m.Value);

    [GeneratedRegex("href=\"([^\"/#?]+\\.ipynb)(#[^\"]*)?\"")]
    private static partial Regex NotebookLink();

    [GeneratedRegex(@"\r?\n\s*\r?\n")]
    private static partial Regex ParagraphBreak();

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
