namespace Workbook.Core;

/// <summary>The unit an information quantity is reported in: the base of the logarithm.</summary>
/// <remarks>Nats use ln (base e), bits use log2, hartleys (also called bans or dits) use log10.</remarks>
public enum InformationUnit
{
    /// <summary>Natural units: logarithm base e. The default everywhere in the library.</summary>
    Nats,

    /// <summary>Binary units: logarithm base 2.</summary>
    Bits,

    /// <summary>Decimal units: logarithm base 10.</summary>
    Hartleys,
}

/// <summary>Conversions between <see cref="InformationUnit"/> and logarithm bases.</summary>
public static class InformationUnits
{
    /// <summary>The logarithm base of <paramref name="unit"/>: e, 2 or 10.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined unit.</exception>
    public static double Base(this InformationUnit unit) => unit switch
    {
        InformationUnit.Nats => Math.E,
        InformationUnit.Bits => 2.0,
        InformationUnit.Hartleys => 10.0,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "unit must be Nats, Bits or Hartleys"),
    };

    /// <summary>ln(base) of <paramref name="unit"/>: a quantity in nats divided by this is in that unit.</summary>
    public static double LnBase(this InformationUnit unit) => unit switch
    {
        InformationUnit.Nats => 1.0,
        InformationUnit.Bits => Math.Log(2.0),
        InformationUnit.Hartleys => Math.Log(10.0),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "unit must be Nats, Bits or Hartleys"),
    };

    /// <summary>ln(<paramref name="logBase"/>), checked: the base must be finite, positive and not 1.</summary>
    /// <exception cref="ArgumentException">The base is NaN, infinite, non-positive or 1.</exception>
    internal static double LnOfBase(double logBase, string paramName = "logBase")
    {
        if (double.IsNaN(logBase) || double.IsInfinity(logBase) || logBase <= 0.0)
        {
            throw new ArgumentException($"{paramName} is {logBase}, expected a finite base > 0 (and not 1)", paramName);
        }

        if (logBase == 1.0)
        {
            throw new ArgumentException($"{paramName} is 1; log base 1 is undefined", paramName);
        }

        return logBase == Math.E ? 1.0 : Math.Log(logBase);
    }
}
