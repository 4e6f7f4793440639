using System.Text.RegularExpressions;

namespace Workbook.Host.Grading;

/// <summary>A best-effort look at a student's code for things a grader should know about: file access with a path
/// outside the submission's folder, ending or starting processes, and reflection. It reads the text; it does not
/// prove anything (code can build a path at run time), so a finding is a flag for a human, never a deduction.</summary>
public static partial class StaticChecks
{
    [GeneratedRegex(@"\b(File|Directory|FileInfo|DirectoryInfo|FileStream|StreamReader|StreamWriter|Path)\s*[.(]")]
    private static partial Regex FileApi();

    [GeneratedRegex(@"@?""(/|~|[A-Za-z]:[\\/]|\\\\|[^""]*\.\.[\\/])")]
    private static partial Regex OutsidePathLiteral();

    [GeneratedRegex(@"\b(GetTempPath|GetFolderPath|SpecialFolder|SetCurrentDirectory|AppContext\.BaseDirectory|GetTempFileName)\b")]
    private static partial Regex OutsideLocation();

    [GeneratedRegex(@"\b(Environment\s*\.\s*(Exit|FailFast)|Process\s*\.\s*(Start|GetCurrentProcess))\b")]
    private static partial Regex ProcessControl();

    [GeneratedRegex(@"\b(System\.Reflection|GetMethod|GetField|BindingFlags|Assembly\.Load|AppDomain)\b")]
    private static partial Regex Reflection();

    /// <summary>Findings for one cell's source, each a short sentence; empty when nothing was found.</summary>
    public static IReadOnlyList<string> Scan(string source)
    {
        var findings = new List<string>();
        if (FileApi().IsMatch(source) && (OutsidePathLiteral().IsMatch(source) || OutsideLocation().IsMatch(source)))
        {
            findings.Add("uses System.IO with a path outside the submission's folder");
        }
        else if (OutsideLocation().IsMatch(source))
        {
            findings.Add("refers to a location outside the submission's folder");
        }

        if (ProcessControl().IsMatch(source))
        {
            findings.Add("ends or starts a process");
        }

        if (Reflection().IsMatch(source))
        {
            findings.Add("uses reflection");
        }

        return findings;
    }
}
