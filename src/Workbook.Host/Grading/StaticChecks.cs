using System.Text.RegularExpressions;

namespace Workbook.Host.Grading;

/// <summary>A best-effort look at a student's code for things a grader should know about: file access with a path
/// outside the submission's folder, ending or starting processes, reflection, use of the notebook kernel's own API
/// (middleware, the root kernel, the invocation context) and process exit hooks. It reads the text; it does not
/// prove anything (code can build a path at run time), so a finding is a flag for a human, never a deduction.</summary>
internal static partial class StaticChecks
{
    [GeneratedRegex(@"\b(File|Directory|FileInfo|DirectoryInfo|FileStream|StreamReader|StreamWriter|Path)\s*[.(]")]
    private static partial Regex FileApi();

    [GeneratedRegex(@"@?""(/|~|[A-Za-z]:[\\/]|\\\\|[^""]*\.\.[\\/])")]
    private static partial Regex OutsidePathLiteral();

    [GeneratedRegex(@"\b(GetTempPath|GetFolderPath|SpecialFolder|SetCurrentDirectory|AppContext\.BaseDirectory|GetTempFileName)\b")]
    private static partial Regex OutsideLocation();

    [GeneratedRegex(@"\b(Environment\s*\.\s*(Exit|FailFast)|Process\s*\.\s*(Start|GetCurrentProcess))\b")]
    private static partial Regex ProcessControl();

    [GeneratedRegex(@"\b(System\.Reflection|GetMethods?|GetFields?|GetPropert(y|ies)|GetEvents?|GetMembers?|InvokeMember|BindingFlags|Assembly\.Load|AppDomain|Type\.GetType|Activator|DynamicInvoke|System\.Linq\.Expressions)\b")]
    private static partial Regex Reflection();

    [GeneratedRegex(@"DotNet\.?Interactive|KernelInvocationContext|AddMiddleware|KernelCommand|SubmitCode|CompositeKernel|CSharpKernel|Kernel\.(Root|Current)|RootKernel|ParentKernel|KernelEvents|\.Pipeline\b|KernelExtension",
        RegexOptions.IgnoreCase)]
    private static partial Regex KernelApi();

    [GeneratedRegex(@"AssemblyLoadContext|\bUnloading\b|ProcessExit|DomainUnload|PosixSignalRegistration|CancelKeyPress|\bAtExit\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex ExitHook();

    /// <summary>Findings for one cell's source, each a short sentence; empty when nothing was found.</summary>
    /// <remarks>The kernel-API and exit-hook checks also read the source with whitespace, comments' markers,
    /// verbatim and interpolation prefixes and string concatenation taken out (<c>"Micro" + "soft.DotNet"</c>),
    /// so one spelling split across literals is still found.</remarks>
    public static IReadOnlyList<string> Scan(string source)
    {
        var findings = new List<string>();
        string joined = Joined(source);
        if (KernelApi().IsMatch(source) || KernelApi().IsMatch(joined))
        {
            findings.Add("uses the notebook kernel's own API");
        }

        if (ExitHook().IsMatch(source) || ExitHook().IsMatch(joined))
        {
            findings.Add("installs a process exit or unload hook");
        }

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

    /// <summary>The source with whitespace removed and adjacent string literals joined: <c>"Kernel" + ".Root"</c>
    /// and <c>$"Dot{""}Net"</c> read as one word.</summary>
    internal static string Joined(string source)
    {
        var sb = new System.Text.StringBuilder(source.Length);
        foreach (char c in source)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return JoinLiterals().Replace(sb.ToString(), "");
    }

    [GeneratedRegex(@"""\+[@$]*""|""\)\+\(?[@$]*""|\{""""\}|[@$]+(?="")")]
    private static partial Regex JoinLiterals();
}
