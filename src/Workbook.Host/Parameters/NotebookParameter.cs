using System.Globalization;

namespace Workbook.Host.Parameters;

/// <summary>The element kinds a notebook parameter can have.</summary>
internal enum ParameterScalar
{
    /// <summary>A 32-bit integer (<c>int</c>).</summary>
    Int,

    /// <summary>A 64-bit integer (<c>long</c>).</summary>
    Long,

    /// <summary>A double-precision number (<c>double</c>).</summary>
    Double,

    /// <summary>A string.</summary>
    String,

    /// <summary>A boolean.</summary>
    Bool,
}

/// <summary>The C# type of a parameter: a scalar kind, or a one-dimensional array of one.</summary>
/// <param name="Element">The scalar, or the array's element.</param>
/// <param name="IsArray">True for arrays (<c>double[]</c>, ...).</param>
internal sealed record ParameterType(ParameterScalar Element, bool IsArray)
{
    /// <summary>The C# keyword, e.g. <c>int</c> or <c>double[]</c>.</summary>
    public string CSharpName => Keyword(Element) + (IsArray ? "[]" : "");

    /// <inheritdoc />
    public override string ToString() => CSharpName;

    internal static string Keyword(ParameterScalar s) => s switch
    {
        ParameterScalar.Int => "int",
        ParameterScalar.Long => "long",
        ParameterScalar.Double => "double",
        ParameterScalar.String => "string",
        ParameterScalar.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };
}

/// <summary>One declaration of a notebook's parameters cell, e.g. <c>var N = 1000;</c>.</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Type">Its C# type, from the declared type or the literal.</param>
/// <param name="DefaultSource">The initializer as written in the cell (<c>new[] { 0.5, 0.5 }</c>).</param>
/// <param name="DeclaredWithVar">True when declared with <c>var</c>.</param>
internal sealed record NotebookParameter(string Name, ParameterType Type, string DefaultSource, bool DeclaredWithVar)
{
    /// <summary>Converts a command-line value to a C# expression of this parameter's type.</summary>
    /// <param name="value">The value as typed: <c>1000</c>, <c>0.5</c>, <c>hello</c>, <c>true</c>, or a
    /// comma-separated list for arrays (<c>0.5,0.25,0.25</c>).</param>
    /// <exception cref="ParameterException">The value does not fit the type.</exception>
    public string ToCSharp(string value)
    {
        if (!Type.IsArray)
        {
            return Scalar(value.Trim());
        }

        string trimmed = value.Trim();
        var items = trimmed.Length == 0
            ? []
            : trimmed.Split(',').Select(v => Scalar(v.Trim())).ToList();
        return $"new {ParameterType.Keyword(Type.Element)}[] {{ {string.Join(", ", items)} }}";
    }

    /// <summary>The default value written in the cell, as a C# value (<c>int</c>, <c>long</c>, <c>double</c>,
    /// <c>string</c>, <c>bool</c>, or an array of one).</summary>
    public object? Default { get; init; }

    /// <summary>Converts a command-line value to the C# value it declares (see <see cref="ToCSharp"/>).</summary>
    /// <exception cref="ParameterException">The value does not fit the type.</exception>
    public object Value(string value)
    {
        if (!Type.IsArray)
        {
            return ScalarValue(value.Trim());
        }

        string trimmed = value.Trim();
        var items = trimmed.Length == 0 ? [] : trimmed.Split(',').Select(v => ScalarValue(v.Trim())).ToList();
        return ArrayOf(Type.Element, items);
    }

    internal static Array ArrayOf(ParameterScalar element, IReadOnlyList<object> items)
    {
        Type t = element switch
        {
            ParameterScalar.Int => typeof(int),
            ParameterScalar.Long => typeof(long),
            ParameterScalar.Double => typeof(double),
            ParameterScalar.Bool => typeof(bool),
            _ => typeof(string),
        };
        var array = Array.CreateInstance(t, items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            array.SetValue(Convert.ChangeType(items[i], t, CultureInfo.InvariantCulture), i);
        }

        return array;
    }

    private object ScalarValue(string v)
    {
        string source = Scalar(v);   // validates, with the messages that name the parameter
        var inv = CultureInfo.InvariantCulture;
        string digits = v.Replace("_", "", StringComparison.Ordinal);
        return Type.Element switch
        {
            ParameterScalar.Int => int.Parse(digits, NumberStyles.AllowLeadingSign, inv),
            ParameterScalar.Long => long.Parse(digits.TrimEnd('L', 'l'), NumberStyles.AllowLeadingSign, inv),
            ParameterScalar.Double => double.Parse(digits, NumberStyles.Float, inv),
            ParameterScalar.Bool => source == "true",
            _ => v,
        };
    }

    /// <summary>The declaration statement that gives this parameter <paramref name="value"/>.</summary>
    public string Declaration(string value) =>
        $"{(DeclaredWithVar ? "var" : Type.CSharpName)} {Name} = {ToCSharp(value)};";

    private string Scalar(string v)
    {
        var inv = CultureInfo.InvariantCulture;
        string digits = v.Replace("_", "", StringComparison.Ordinal);
        switch (Type.Element)
        {
            case ParameterScalar.Int:
                if (int.TryParse(digits, NumberStyles.AllowLeadingSign, inv, out int i))
                {
                    return i.ToString(inv);
                }

                break;
            case ParameterScalar.Long:
                if (long.TryParse(digits.TrimEnd('L', 'l'), NumberStyles.AllowLeadingSign, inv, out long l))
                {
                    return l.ToString(inv) + "L";
                }

                break;
            case ParameterScalar.Double:
                if (double.TryParse(digits, NumberStyles.Float, inv, out double d))
                {
                    if (double.IsNaN(d))
                    {
                        return "double.NaN";
                    }

                    if (double.IsInfinity(d))
                    {
                        return d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
                    }

                    string r = d.ToString("R", inv);
                    return r.Contains('.', StringComparison.Ordinal) || r.Contains('E', StringComparison.Ordinal) ? r : r + ".0";
                }

                break;
            case ParameterScalar.Bool:
                if (bool.TryParse(v, out bool b))
                {
                    return b ? "true" : "false";
                }

                break;
            case ParameterScalar.String:
                return StringLiteral(v);
        }

        throw new ParameterException(Name,
            $"parameter '{Name}' is {Article(Type)}; '{v}' is not {Describe(Type.Element)}");
    }

    private static string Article(ParameterType t) =>
        t.IsArray ? $"a {t.CSharpName} (give a comma-separated list)" : (t.Element == ParameterScalar.Int ? "an int" : "a " + t.CSharpName);

    private static string Describe(ParameterScalar s) => s switch
    {
        ParameterScalar.Int => "an int (a whole number between -2147483648 and 2147483647)",
        ParameterScalar.Long => "a long (a whole number)",
        ParameterScalar.Double => "a number",
        ParameterScalar.Bool => "true or false",
        _ => "a " + ParameterType.Keyword(s),
    };

    private static string StringLiteral(string s)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}

/// <summary>A parameter override that cannot be applied: unknown name, wrong type, no parameters cell.</summary>
public sealed class ParameterException : ArgumentException
{
    /// <summary>Creates the exception for parameter <paramref name="name"/>.</summary>
    public ParameterException(string? name, string message) : base(message) => ParameterName = name;

    /// <summary>The parameter concerned, when there is one.</summary>
    public string? ParameterName { get; }
}
