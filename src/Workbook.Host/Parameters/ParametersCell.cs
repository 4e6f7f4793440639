using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Workbook.Core;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Parameters;

/// <summary>A notebook's parameters cell (the code cell tagged <c>parameters</c>, as papermill defines it) and
/// the declarations in it that a rerun can override.</summary>
/// <remarks>Declarations are read with Roslyn as C# script. A declaration is a parameter when its initializer is
/// a literal (<c>1000</c>, <c>1e6</c>, <c>0.5</c>, <c>"text"</c>, <c>true</c>, optionally negated) or an array of
/// literals (<c>new[] { 0.5, 0.25 }</c>, <c>new double[] { ... }</c>, <c>{ ... }</c>, <c>[ ... ]</c>). Other
/// statements (<c>var rng = new Random(seed);</c>) are left alone and cannot be overridden.</remarks>
internal sealed class ParametersCell
{
    /// <summary>The tag that marks the parameters cell.</summary>
    public const string Tag = "parameters";

    /// <summary>The tag of the cell a rerun inserts after it.</summary>
    public const string InjectedTag = "injected-parameters";

    private ParametersCell(int cellIndex, IReadOnlyList<NotebookParameter> parameters, ParameterDomains? domains)
    {
        CellIndex = cellIndex;
        Parameters = parameters;
        Domains = domains;
    }

    /// <summary>The domains the cell declares with <c>ParameterDomains.Declare(...)</c>, or null when it declares
    /// none.</summary>
    public ParameterDomains? Domains { get; }

    /// <summary>The parameters' values: the defaults of the cell, with <paramref name="overrides"/> in their place.</summary>
    /// <exception cref="ParameterException">An override names no parameter or does not fit its type.</exception>
    public Dictionary<string, object?> Values(IEnumerable<(string Name, string Value)> overrides)
    {
        var values = Parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            var parameter = Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new ParameterException(name, $"no parameter '{name}'");
            values[name] = parameter.Value(value);
        }

        return values;
    }

    /// <summary>The 0-based index of the parameters cell in the notebook.</summary>
    public int CellIndex { get; }

    /// <summary>The overridable declarations, in source order.</summary>
    public IReadOnlyList<NotebookParameter> Parameters { get; }

    /// <summary>The parameters cell of <paramref name="document"/>, or null when no code cell is tagged
    /// <c>parameters</c>.</summary>
    public static ParametersCell? Find(IpynbDocument document)
    {
        var cell = document.Cells.FirstOrDefault(c => c.IsCode && c.Tags.Contains(Tag));
        return cell is null ? null : new ParametersCell(cell.Index, Parse(cell.Source), ParseDomains(cell.Source));
    }

    /// <summary>The domains declared in C# <paramref name="source"/> (<c>ParameterDomains.Declare(...)</c>), or
    /// null when there is no declaration.</summary>
    /// <exception cref="ParameterException">The declaration cannot be read without running it.</exception>
    public static ParameterDomains? ParseDomains(string source) =>
        DomainDeclaration.Read(CSharpSyntaxTree.ParseText(source,
            new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)).GetCompilationUnitRoot());

    /// <summary>The overridable declarations in C# <paramref name="source"/>.</summary>
    public static IReadOnlyList<NotebookParameter> Parse(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source,
            new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var result = new List<NotebookParameter>();
        var root = tree.GetCompilationUnitRoot();
        foreach (var declaration in root.DescendantNodes().OfType<VariableDeclarationSyntax>())
        {
            if (declaration.Parent is not (LocalDeclarationStatementSyntax or FieldDeclarationSyntax))
            {
                continue;
            }

            bool isVar = declaration.Type is IdentifierNameSyntax { Identifier.Text: "var" };
            ParameterType? declared = isVar ? null : TypeOf(declaration.Type);
            if (!isVar && declared is null)
            {
                continue;
            }

            foreach (var v in declaration.Variables)
            {
                if (v.Initializer?.Value is not { } value)
                {
                    continue;
                }

                var inferred = Infer(value, declared);
                if (inferred is null)
                {
                    continue;
                }

                var type = declared ?? inferred;
                result.Add(new NotebookParameter(v.Identifier.Text, type, value.ToString(), isVar) { Default = Evaluate(value, type) });
            }
        }

        return result;
    }

    /// <summary>The value of a literal or array-of-literals initializer, as <paramref name="type"/>.</summary>
    private static object? Evaluate(ExpressionSyntax value, ParameterType type)
    {
        IEnumerable<ExpressionSyntax>? items = value switch
        {
            ImplicitArrayCreationExpressionSyntax a => a.Initializer.Expressions,
            ArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions,
            InitializerExpressionSyntax init => init.Expressions,
            CollectionExpressionSyntax c => c.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression),
            _ => null,
        };
        if (type.IsArray)
        {
            return items is null ? null
                : NotebookParameter.ArrayOf(type.Element, items.Select(i => Scalar(i, type.Element)!).ToList());
        }

        return Scalar(value, type.Element);
    }

    private static object? Scalar(ExpressionSyntax e, ParameterScalar element)
    {
        object? raw = e switch
        {
            LiteralExpressionSyntax lit => lit.Token.Value,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } u => Scalar(u.Operand, element) switch
            {
                int i => -i,
                long l => -l,
                double d => -d,
                var other => other,
            },
            PrefixUnaryExpressionSyntax u => Scalar(u.Operand, element),
            _ => null,
        };
        Type target = element switch
        {
            ParameterScalar.Int => typeof(int),
            ParameterScalar.Long => typeof(long),
            ParameterScalar.Double => typeof(double),
            ParameterScalar.Bool => typeof(bool),
            _ => typeof(string),
        };
        return raw is null ? null : Convert.ChangeType(raw, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ParameterType? TypeOf(TypeSyntax type) => type switch
    {
        PredefinedTypeSyntax p when ScalarOf(p.Keyword.Text) is { } s => new ParameterType(s, false),
        ArrayTypeSyntax { RankSpecifiers.Count: 1, ElementType: PredefinedTypeSyntax p } when ScalarOf(p.Keyword.Text) is { } s
            => new ParameterType(s, true),
        _ => null,
    };

    private static ParameterScalar? ScalarOf(string keyword) => keyword switch
    {
        "int" => ParameterScalar.Int,
        "long" => ParameterScalar.Long,
        "double" => ParameterScalar.Double,
        "string" => ParameterScalar.String,
        "bool" => ParameterScalar.Bool,
        _ => null,
    };

    /// <summary>The type of a literal or array-of-literals initializer; null when it is anything else.</summary>
    private static ParameterType? Infer(ExpressionSyntax value, ParameterType? declared)
    {
        switch (value)
        {
            case ImplicitArrayCreationExpressionSyntax implicitArray:
                return ArrayOf(implicitArray.Initializer.Expressions, null);
            case ArrayCreationExpressionSyntax { Initializer: { } init } array when TypeOf(array.Type) is { IsArray: true } t:
                return ArrayOf(init.Expressions, t.Element);
            case InitializerExpressionSyntax init when declared is { IsArray: true }:
                return ArrayOf(init.Expressions, declared.Element);
            case CollectionExpressionSyntax collection when declared is { IsArray: true }:
                var items = collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList();
                return items.Count == collection.Elements.Count ? ArrayOf(items, declared.Element) : null;
            default:
                return LiteralKind(value) is { } s ? new ParameterType(s, false) : null;
        }
    }

    private static ParameterType? ArrayOf(IEnumerable<ExpressionSyntax> items, ParameterScalar? element)
    {
        var kinds = items.Select(LiteralKind).ToList();
        if (kinds.Any(k => k is null))
        {
            return null;
        }

        if (element is { } e)
        {
            return new ParameterType(e, true);
        }

        var distinct = kinds.Select(k => k!.Value).Distinct().ToList();
        ParameterScalar? best = distinct.Count switch
        {
            0 => null,
            1 => distinct[0],
            _ when distinct.All(k => k is ParameterScalar.Int or ParameterScalar.Long or ParameterScalar.Double) =>
                distinct.Contains(ParameterScalar.Double) ? ParameterScalar.Double : ParameterScalar.Long,
            _ => null,
        };
        return best is { } b ? new ParameterType(b, true) : null;
    }

    private static ParameterScalar? LiteralKind(ExpressionSyntax e) => e switch
    {
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression or (int)SyntaxKind.UnaryPlusExpression } u
            when LiteralKind(u.Operand) is ParameterScalar.Int or ParameterScalar.Long or ParameterScalar.Double => LiteralKind(u.Operand),
        LiteralExpressionSyntax lit => lit.Token.Value switch
        {
            int => ParameterScalar.Int,
            long or uint or ulong => ParameterScalar.Long,
            double or float or decimal => ParameterScalar.Double,
            string => ParameterScalar.String,
            bool => ParameterScalar.Bool,
            _ => null,
        },
        _ => null,
    };
}
