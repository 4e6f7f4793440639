using System.Globalization;

namespace Workbook.Core;

/// <summary>Checks that a claim made in prose holds for a computed value. Notebooks call these in check cells:
/// a false claim throws, the cell fails, and the run (and CI) fails naming the cell.</summary>
public static class Claim
{
    /// <summary>Holds when |actual - expected| &lt;= max(absTol, relTol * |expected|); returns actual.</summary>
    /// <exception cref="ClaimFailedException">The values differ by more than the tolerance, or either is NaN.</exception>
    public static double Near(string claim, double actual, double expected, double absTol = 1e-12, double relTol = 1e-12)
    {
        bool ok = actual == expected ||
                  (!double.IsNaN(actual) && !double.IsNaN(expected) &&
                   Math.Abs(actual - expected) <= Math.Max(absTol, relTol * Math.Abs(expected)));
        if (!ok)
        {
            throw new ClaimFailedException(
                $"claim failed: {claim}: computed {F(actual)}, expected {F(expected)} (tolerance abs {F(absTol)}, rel {F(relTol)})");
        }

        return actual;
    }

    /// <summary>Holds when <paramref name="condition"/> is true.</summary>
    /// <exception cref="ClaimFailedException">The condition is false.</exception>
    public static void That(string claim, bool condition, string? detail = null)
    {
        if (!condition)
        {
            throw new ClaimFailedException($"claim failed: {claim}" + (detail is null ? "" : $" ({detail})"));
        }
    }

    /// <summary>Holds when <paramref name="a"/> &gt;= <paramref name="b"/> - <paramref name="slack"/>.</summary>
    public static void AtLeast(string claim, double a, double b, double slack = 0.0) =>
        That(claim, a >= b - slack, $"{F(a)} < {F(b)}");

    private static string F(double v) => v.ToString("G17", CultureInfo.InvariantCulture);
}

/// <summary>A claim checked by <see cref="Claim"/> does not hold.</summary>
public sealed class ClaimFailedException(string message) : Exception(message);
