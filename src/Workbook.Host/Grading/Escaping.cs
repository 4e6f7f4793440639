using System.Text;

namespace Workbook.Host.Grading;

/// <summary>How text a student wrote (ids, file names, exception messages, flags) is written into the instructor's
/// files: as inert data, never as a formula, markup or a path.</summary>
internal static class Escaping
{
    /// <summary>A CSV field: RFC 4180 quoting, and a field that a spreadsheet would read as a formula (one that begins
    /// with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return) prefixed with a single quote, as
    /// OWASP's advice on CSV injection has it.</summary>
    public static string CsvField(string s)
    {
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            s = "'" + s;
        }

        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }

    /// <summary>Text shown as itself inside markdown: every character markdown or HTML would read as syntax is
    /// escaped (<c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> as entities, the markdown punctuation with a backslash),
    /// and line breaks become spaces, so the text stays one inline run.</summary>
    public static string Markdown(string s) => Escape(s, c => c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or
        '(' or ')' or '#' or '+' or '-' or '.' or '!' or '|' or '~' or '$' or '"' or '\'' or ':', oneLine: true);

    /// <summary>A student's markdown answer shown in feedback: its markdown kept (emphasis, lists, maths), raw HTML
    /// shown as text, and links and images made plain text (no live markup, no requests to other sites).</summary>
    public static string MarkdownAnswer(string s) => Escape(s, c => c is '[' or ']', oneLine: false);

    private static string Escape(string s, Func<char, bool> backslashed, bool oneLine)
    {
        var sb = new StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            if (c == '<')
            {
                sb.Append("&lt;");
            }
            else if (c == '>')
            {
                sb.Append("&gt;");
            }
            else if (c == '&')
            {
                sb.Append("&amp;");
            }
            else if (oneLine && c is '\r' or '\n')
            {
                sb.Append(' ');
            }
            else if (backslashed(c))
            {
                sb.Append('\\').Append(c);
            }
            else
            {
                sb.Append(oneLine && char.IsControl(c) ? '?' : c);
            }
        }

        return sb.ToString();
    }

    /// <summary>The text on one line: line breaks and runs of white space become one space.</summary>
    public static string OneLine(string s) =>
        string.Join(' ', s.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>Student ids: the name of a submission's file (without extension) or folder. An id becomes a file name
/// (<c>feedback/ID.ipynb</c>, <c>gradescope/ID/results.json</c>), so it is checked before it is used.</summary>
internal static class StudentIds
{
    /// <summary>Why <paramref name="id"/> cannot be a student id, or null when it can: it must be non-empty, at most
    /// 200 bytes in UTF-8, not made of dots only (<c>.</c>, <c>..</c>), and hold no path separator or control
    /// character.</summary>
    public static string? Problem(string id)
    {
        if (id.Length == 0)
        {
            return "the student id is empty";
        }

        if (Encoding.UTF8.GetByteCount(id) > 200)
        {
            // A file name may have 255 bytes; feedback/ID.ipynb must fit.
            return "the student id is longer than 200 bytes";
        }

        if (id.All(c => c == '.'))
        {
            return "a student id cannot be made of dots only";
        }

        if (id.IndexOfAny(['/', '\\']) >= 0)
        {
            return "the student id holds a path separator";
        }

        return id.Any(char.IsControl) ? "the student id holds a control character" : null;
    }

    /// <summary>The id as shown in a row when it is not valid: control characters as <c>?</c>, cut at 200.</summary>
    public static string Shown(string id) => SubmissionIntake.Shown(id.Length > 200 ? id[..200] : id);
}
