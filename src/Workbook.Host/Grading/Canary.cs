using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Grading;

/// <summary>Test results a submission cannot forge by stopping tests from running or from failing. Every test cell
/// is run only in its canary form: the test's own code, then a throw carrying a fresh random nonce. A test that
/// runs to its end therefore always fails, with exactly that nonce; the part passes only then. A test cell that
/// reports success never reached its canary: something (kernel middleware, an exit hook, a forged result) kept
/// the test from running, so the part is <see cref="CellStatus.Tampered"/>. A test that fails with any other
/// error failed on its own.</summary>
/// <remarks>Every test cell looks the same to the submission (there is no plain run beside the canary to tell
/// apart), so code that skips "the real test" has nothing to key on. Code inside the worker can still read the
/// nonce from the cell it is sent; the canary raises the cost of forging, it is not a proof. The other layers:
/// results travel over the worker's pipe in strict turn, and a test cell is sent only when it runs. A test cell
/// must run to its end: a top-level <c>return</c> in a test would be read as tampering.</remarks>
internal static class Canary
{
    /// <summary>The exception type the canary throws, as reported by the worker.</summary>
    public const string ExceptionName = "System.Exception";

    /// <summary>A fresh nonce (128 random bits, hex).</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The message the canary throws.</summary>
    public static string Message(string nonce) => "workbook-canary-" + nonce;

    /// <summary>The canary form of a test cell's source: the source, then on a line of its own a throw carrying the
    /// nonce. A trailing expression without a semicolon (a script's displayed value) is first made a statement.</summary>
    /// <exception cref="ArgumentException">The nonce is empty or not hex.</exception>
    public static string Source(string testSource, string nonce)
    {
        if (string.IsNullOrEmpty(nonce) || !nonce.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"nonce '{nonce}' is not a hex string", nameof(nonce));
        }

        return $"{EndTrailingExpression(testSource)}\nthrow new {ExceptionName}(\"{Message(nonce)}\");\n";
    }

    /// <summary>The result of a test cell run in its canary form, judged: the canary's own failure is a pass; a
    /// success is tampering; another failure stays a failure; timeouts, crashes and tampering stay as they are.</summary>
    public static IsolatedCellResult Judge(IsolatedCellResult canaryResult, string nonce)
    {
        string expected = $"{ExceptionName}: {Message(nonce)}";
        return canaryResult.Status switch
        {
            CellStatus.Failed when canaryResult.Message == expected =>
                canaryResult with { Status = CellStatus.Passed, Message = "", Outputs = WithoutCanary(canaryResult.Outputs, nonce) },
            CellStatus.Failed when canaryResult.Message.Contains(nonce, StringComparison.Ordinal) =>
                canaryResult with
                {
                    Status = CellStatus.Tampered,
                    Message = "the test's canary failed with an altered error: something rewrote the test's failure",
                    Outputs = null,
                },
            CellStatus.Passed => canaryResult with
            {
                Status = CellStatus.Tampered,
                Message = "the test reported success without reaching its canary: something kept the test from running to its end",
            },
            _ => canaryResult,
        };
    }

    /// <summary>A copy of <paramref name="notebook"/> whose test cells are in their canary form, each with its own
    /// nonce from <paramref name="nonces"/> (keyed by cell id; cells without one are unchanged).</summary>
    public static IpynbDocument Apply(IpynbDocument notebook, IReadOnlyDictionary<string, string> nonces)
    {
        var root = notebook.ToJsonObject();
        foreach (var cell in (root["cells"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (cell["id"]?.GetValue<string>() is { } id && nonces.TryGetValue(id, out string? nonce))
            {
                cell["source"] = IpynbDocument.ToSourceLines(Source(IpynbDocument.SourceOf(cell), nonce));
            }
        }

        return IpynbDocument.FromJson(root, "canary form");
    }

    /// <summary>The source with a trailing expression that has no semicolon turned into a statement: <c>f(x)</c>
    /// becomes <c>f(x);</c>, and a value such as <c>y + 1</c> becomes <c>_ = (y + 1);</c>.</summary>
    internal static string EndTrailingExpression(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var last = tree.GetCompilationUnitRoot().Members.LastOrDefault();
        if (last is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement })
        {
            return source;
        }

        var e = statement.Expression;
        bool isStatement = e is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax
            or ObjectCreationExpressionSyntax or PostfixUnaryExpressionSyntax
            || e is PrefixUnaryExpressionSyntax p && (p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression));
        int start = e.SpanStart;
        int end = e.Span.End;
        return isStatement
            ? source[..end] + ";" + source[end..]
            : source[..start] + "_ = (" + source[start..end] + ");" + source[end..];
    }

    private static JsonArray? WithoutCanary(JsonArray? outputs, string nonce)
    {
        if (outputs is null)
        {
            return null;
        }

        var kept = outputs.Where(o => o is not JsonObject { } e || e["output_type"]?.GetValue<string>() != "error" ||
                                      !(e["evalue"]?.ToString().Contains(nonce, StringComparison.Ordinal) ?? false))
            .Select(o => o?.DeepClone())
            .ToArray();
        return new JsonArray(kept);
    }
}
