using System.Text.RegularExpressions;

namespace Workbook.Host.Grading;

/// <summary>The marker lines of an assignment source (nbgrader's conventions): <c>// BEGIN SOLUTION</c> …
/// <c>// END SOLUTION</c> and <c>// BEGIN HIDDEN TESTS</c> … <c>// END HIDDEN TESTS</c>. In markdown the
/// markers may also be written <c>### BEGIN SOLUTION</c> or <c>&lt;!-- BEGIN SOLUTION --&gt;</c>.</summary>
internal static partial class Regions
{
    /// <summary>What replaces a solution region in a code cell.</summary>
    public const string CodeStub = "throw new NotImplementedException();";

    /// <summary>What replaces a solution region in a markdown cell.</summary>
    public const string MarkdownStub = "YOUR ANSWER HERE";

    private enum Kind { Solution, HiddenTests }

    [GeneratedRegex(@"^\s*(?://|#+|<!--)?\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*(?:-->)?\s*$")]
    private static partial Regex MarkerLine();

    /// <summary>Problems with the markers of one cell (unbalanced, nested, or in the wrong kind of cell);
    /// empty when the markers are fine.</summary>
    public static IReadOnlyList<string> Check(string source, bool solutionCell, bool testCell)
    {
        var problems = new List<string>();
        Kind? open = null;
        int lineNo = 0;
        foreach (string line in Lines(source))
        {
            lineNo++;
            if (!TryMarker(line, out bool begin, out Kind kind))
            {
                continue;
            }

            string name = kind == Kind.Solution ? "SOLUTION" : "HIDDEN TESTS";
            if (begin)
            {
                if (open is { } o)
                {
                    problems.Add($"line {lineNo}: BEGIN {name} inside an open {(o == Kind.Solution ? "SOLUTION" : "HIDDEN TESTS")} region");
                }

                if (kind == Kind.Solution && !solutionCell)
                {
                    problems.Add($"line {lineNo}: BEGIN SOLUTION in a cell that is not a solution cell (nbgrader solution: true)");
                }

                if (kind == Kind.HiddenTests && !testCell)
                {
                    problems.Add($"line {lineNo}: BEGIN HIDDEN TESTS in a cell that is not a test cell (nbgrader grade: true, solution: false)");
                }

                open = kind;
            }
            else if (open != kind)
            {
                problems.Add($"line {lineNo}: END {name} without a matching BEGIN {name}");
            }
            else
            {
                open = null;
            }
        }

        if (open is { } stillOpen)
        {
            problems.Add($"BEGIN {(stillOpen == Kind.Solution ? "SOLUTION" : "HIDDEN TESTS")} is never closed");
        }

        return problems;
    }

    /// <summary>The lines inside the source's hidden-test regions, joined (empty when it has none).</summary>
    public static string HiddenTests(string source)
    {
        var hidden = new List<string>();
        Kind? open = null;
        foreach (string line in Lines(source))
        {
            if (TryMarker(line, out bool begin, out Kind kind))
            {
                open = begin ? kind : null;
            }
            else if (open == Kind.HiddenTests)
            {
                hidden.Add(line);
            }
        }

        return string.Join("\n", hidden);
    }

    /// <summary>True when the source has a BEGIN SOLUTION marker.</summary>
    public static bool HasSolutionRegion(string source) =>
        Lines(source).Any(l => TryMarker(l, out bool begin, out Kind k) && begin && k == Kind.Solution);

    /// <summary>The student's version of a cell's source: each solution region replaced by
    /// <paramref name="stub"/> (indented like its BEGIN line), hidden-test regions removed. The markers must be
    /// balanced (see <see cref="Check"/>).</summary>
    public static string ToStudent(string source, string stub)
    {
        var output = new List<string>();
        Kind? open = null;
        foreach (string line in Lines(source))
        {
            if (TryMarker(line, out bool begin, out Kind kind))
            {
                if (begin)
                {
                    open = kind;
                    if (kind == Kind.Solution)
                    {
                        string indent = line[..(line.Length - line.TrimStart().Length)];
                        output.Add(indent + stub);
                    }
                }
                else
                {
                    open = null;
                }

                continue;
            }

            if (open is null)
            {
                output.Add(line);
            }
        }

        return string.Join("\n", output).TrimEnd('\n', ' ');
    }

    private static IEnumerable<string> Lines(string source) => source.Replace("\r\n", "\n").Split('\n');

    private static bool TryMarker(string line, out bool begin, out Kind kind)
    {
        var m = MarkerLine().Match(line);
        begin = m.Success && m.Groups[1].Value == "BEGIN";
        kind = m.Success && m.Groups[2].Value == "SOLUTION" ? Kind.Solution : Kind.HiddenTests;
        return m.Success;
    }
}
