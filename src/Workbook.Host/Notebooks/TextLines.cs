namespace Workbook.Host.Notebooks;

/// <summary>The one rule for showing a cell's source or an error message on one line of a report.</summary>
internal static class TextLines
{
    /// <summary>The first line of <paramref name="text"/> that is not blank, trimmed; <c>""</c> for null, empty or
    /// blank text. Lines end at <c>\n</c>; a <c>\r</c> before it is dropped with the other white space.</summary>
    /// <param name="text">A cell's source, an error message, ...</param>
    /// <param name="maxLength">The longest result: a longer line is cut to <paramref name="maxLength"/>
    /// characters followed by <c>…</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is less than 1.</exception>
    public static string FirstLine(string? text, int maxLength = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            int nl = rest.IndexOf('\n');
            var line = (nl < 0 ? rest : rest[..nl]).Trim();
            if (!line.IsEmpty)
            {
                return line.Length > maxLength ? string.Concat(line[..maxLength], "…") : line.ToString();
            }

            rest = nl < 0 ? [] : rest[(nl + 1)..];
        }

        return "";
    }

    /// <summary>The lines after the one <see cref="FirstLine"/> returns, each without trailing white space (so
    /// without <c>\r</c>), and without the blank lines at the end: the rest of a multi-line error message.</summary>
    public static IReadOnlyList<string> LinesAfterFirst(string? text)
    {
        var lines = (text ?? "").Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0).Skip(1).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
