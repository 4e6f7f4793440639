using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Workbook.Core;

namespace Workbook.Host.Parameters;

/// <summary>Reads a parameters cell's domain declaration, <c>ParameterDomains.Declare(Domain.X("name", ...), ...)</c>,
/// from its source without running it, by calling the same <see cref="Domain"/> factories with the literal
/// arguments written in the cell.</summary>
internal static class DomainDeclaration
{
    /// <summary>The declared domains in <paramref name="root"/>, or null when the cell declares none.</summary>
    /// <exception cref="ParameterException">The declaration uses something other than literals, or a factory
    /// refuses its arguments.</exception>
    public static ParameterDomains? Read(CompilationUnitSyntax root)
    {
        var declare = root.DescendantNodes().OfType<InvocationExpressionSyntax>().FirstOrDefault(i =>
            i.Expression is MemberAccessExpressionSyntax
            {
                Name.Identifier.Text: nameof(ParameterDomains.Declare),
                Expression: var target,
            } && target.ToString().EndsWith(nameof(ParameterDomains), StringComparison.Ordinal));
        if (declare is null)
        {
            return null;
        }

        var domains = declare.ArgumentList.Arguments.Select(a => Factory(a.Expression)).ToArray();
        try
        {
            return ParameterDomains.Declare(domains);
        }
        catch (ArgumentException e)
        {
            throw new ParameterException(null, "the parameters cell's domain declaration is invalid: " + e.Message);
        }
    }

    private static ParameterDomain Factory(ExpressionSyntax expression)
    {
        if (expression is not InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: var method, Expression: var owner },
            } call || !owner.ToString().EndsWith(nameof(Domain), StringComparison.Ordinal))
        {
            throw Unreadable(expression, "expected a call Domain.Name(...)");
        }

        var candidates = typeof(Domain).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == method).ToList();
        if (candidates.Count == 0)
        {
            throw Unreadable(expression, $"Domain has no method '{method}'");
        }

        var method0 = candidates[0];
        var formals = method0.GetParameters();
        var actuals = new object?[formals.Length];
        var given = new bool[formals.Length];
        for (int i = 0; i < call.ArgumentList.Arguments.Count; i++)
        {
            var argument = call.ArgumentList.Arguments[i];
            int at = argument.NameColon is { } nc
                ? Array.FindIndex(formals, f => f.Name == nc.Name.Identifier.Text)
                : i;
            if (at < 0 || at >= formals.Length)
            {
                throw Unreadable(argument, $"Domain.{method} has no such parameter");
            }

            actuals[at] = Literal(argument.Expression, formals[at].ParameterType);
            given[at] = true;
        }

        for (int i = 0; i < formals.Length; i++)
        {
            if (!given[i])
            {
                actuals[i] = formals[i].HasDefaultValue ? formals[i].DefaultValue
                    : throw Unreadable(call, $"Domain.{method} needs its argument '{formals[i].Name}'");
            }
        }

        try
        {
            return (ParameterDomain)method0.Invoke(null, actuals)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            throw new ParameterException(null, $"the parameters cell's domain declaration is invalid: {call}: {inner.Message}");
        }
    }

    private static object? Literal(ExpressionSyntax e, Type type)
    {
        object? value = e switch
        {
            InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } } n
                when n.ArgumentList.Arguments.Count == 1 => n.ArgumentList.Arguments[0].Expression.ToString(),
            LiteralExpressionSyntax lit => lit.Token.Value,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } u => Negate(Literal(u.Operand, type)),
            MemberAccessExpressionSyntax m => m.ToString() switch
            {
                "int.MaxValue" => int.MaxValue,
                "int.MinValue" => int.MinValue,
                "long.MaxValue" => long.MaxValue,
                "long.MinValue" => long.MinValue,
                _ => throw Unreadable(e, "expected a literal"),
            },
            _ => throw Unreadable(e, "expected a literal"),
        };
        try
        {
            Type target = Nullable.GetUnderlyingType(type) ?? type;
            return value is null ? null : Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
        {
            throw Unreadable(e, $"expected a {type.Name}");
        }
    }

    private static object? Negate(object? v) => v switch
    {
        int i => -i,
        long l => -l,
        double d => -d,
        float f => -f,
        decimal m => -m,
        _ => throw new ParameterException(null, "the parameters cell's domain declaration negates a non-number"),
    };

    private static ParameterException Unreadable(SyntaxNode node, string why) =>
        new(null, $"the parameters cell's domain declaration cannot be read at '{node}': {why} " +
                  "(the arguments of Domain.* must be literals, so that `run` can check them before any cell runs)");
}
