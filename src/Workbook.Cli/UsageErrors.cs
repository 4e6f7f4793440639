using System.CommandLine;

namespace Workbook.Cli;

/// <summary>How the command line reports arguments it cannot parse: one <c>error: ...</c> line per problem on
/// stderr and exit code 2, before any command runs.</summary>
internal static class UsageErrors
{
    /// <summary>The exit code of a usage error (as in the Unix convention of getopt-based tools).</summary>
    public const int ExitCode = 2;

    /// <summary>Writes the parse errors of <paramref name="parse"/>; returns false when there were none.</summary>
    public static bool Report(ParseResult parse, TextWriter stderr)
    {
        if (parse.Errors.Count == 0)
        {
            return false;
        }

        foreach (var error in parse.Errors)
        {
            stderr.WriteLine($"error: {error.Message}");
        }

        var command = parse.CommandResult.Command;
        string usage = command is RootCommand ? command.Name : $"{parse.RootCommandResult.Command.Name} {command.Name}";
        stderr.WriteLine($"Try '{usage} --help'.");
        return true;
    }
}
