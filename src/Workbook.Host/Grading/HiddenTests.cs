using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Workbook.Host.Grading;

/// <summary>What a student may learn of a hidden test that failed: that it ran and failed, never its code. A hidden
/// test that does not compile against a student's answers would otherwise quote its own lines, columns and member
/// names in the compiler's message; the message is replaced by one that names the answers the test uses.</summary>
internal static class HiddenTests
{
    /// <summary>The message to show instead of <paramref name="message"/> when <paramref name="test"/> (a source test
    /// cell) has hidden tests and failed to compile; null when the message may be shown as it is.</summary>
    public static string? Mask(AssignmentSource source, Workbook.Host.Notebooks.NotebookCell test, string message)
    {
        string hidden = Regions.HiddenTests(test.Source);
        if (hidden.Length == 0 || !message.StartsWith("CompilationError", StringComparison.Ordinal))
        {
            return null;
        }

        var answers = AnswerNames(source);
        var used = Identifiers(hidden).Where(answers.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string which = used.Count > 0
            ? "check that " + string.Join(", ", used.Select(n => $"`{n}`")) + (used.Count == 1 ? " has" : " have") +
              " the name, parameters and return type the assignment asks for"
            : "check that your answers keep the names, parameters and return types the assignment asks for";
        return "CompilationError: this test (its hidden part included) did not compile against your notebook; " + which;
    }

    /// <summary>The names the source's solution cells declare: methods, local functions, variables and types.</summary>
    internal static HashSet<string> AnswerNames(AssignmentSource source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in source.Document.Cells.Where(c => c.IsCode && NbgraderCellInfo.Of(c)?.Solution == true))
        {
            var root = CSharpSyntaxTree.ParseText(cell.Source, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
            foreach (var node in root.DescendantNodes())
            {
                switch (node)
                {
                    case MethodDeclarationSyntax m: names.Add(m.Identifier.ValueText); break;
                    case LocalFunctionStatementSyntax f: names.Add(f.Identifier.ValueText); break;
                    case VariableDeclaratorSyntax v when v.Parent?.Parent is LocalDeclarationStatementSyntax { Parent: GlobalStatementSyntax } or FieldDeclarationSyntax:
                        names.Add(v.Identifier.ValueText);
                        break;
                    case BaseTypeDeclarationSyntax t: names.Add(t.Identifier.ValueText); break;
                }
            }
        }

        return names;
    }

    private static IEnumerable<string> Identifiers(string code) =>
        CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot()
            .DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText);
}
