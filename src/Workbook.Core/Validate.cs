using System.Globalization;

namespace Workbook.Core;

/// <summary>Argument checks shared by the public entry points. Each throws an <see cref="ArgumentException"/>
/// that names the argument and the problem.</summary>
public static class Validate
{
    /// <summary>Default tolerance on |sum(p) - 1| for a vector to count as a probability distribution.</summary>
    /// <remarks>1e-9 admits rounding of hand-typed decimals (0.1 + 0.2 + 0.7) and of computed vectors while
    /// still rejecting a wrong entry. Pass a larger tolerance to the functions that take one to relax it.</remarks>
    public const double DefaultSumTolerance = 1e-9;

    /// <summary>Checks that <paramref name="p"/> is a probability vector: non-empty, every entry finite and in
    /// [0, 1], and summing to 1 within <paramref name="tolerance"/>.</summary>
    /// <exception cref="ArgumentException">Empty, a NaN, negative or &gt;1 entry, or a sum off 1.</exception>
    public static void Distribution(ReadOnlySpan<double> p, string paramName, double tolerance = DefaultSumTolerance)
    {
        if (p.IsEmpty)
        {
            throw new ArgumentException($"{paramName} is empty, expected at least one probability", paramName);
        }

        if (double.IsNaN(tolerance) || tolerance < 0)
        {
            throw new ArgumentException($"tolerance is {tolerance}, expected a number >= 0", nameof(tolerance));
        }

        double sum = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            double v = p[i];
            if (double.IsNaN(v))
            {
                throw new ArgumentException($"{paramName}[{i}] is NaN, expected a probability in [0, 1]", paramName);
            }

            if (v < 0.0 || v > 1.0)
            {
                throw new ArgumentException(
                    $"{paramName}[{i}] is {Format(v)}, expected a probability in [0, 1]", paramName);
            }

            sum += v;
        }

        if (Math.Abs(sum - 1.0) > tolerance)
        {
            throw new ArgumentException(
                $"{paramName} sums to {Format(sum)}, expected 1 ± {Format(tolerance)}", paramName);
        }
    }

    /// <summary>Checks that two spans have the same, non-zero length.</summary>
    public static void SameLength(int expected, int actual, string paramName, string otherName)
    {
        if (expected != actual)
        {
            throw new ArgumentException(
                $"{paramName} has length {actual} but {otherName} has length {expected}; they must match",
                paramName);
        }
    }

    /// <summary>Formats a number the way error messages show it: shortest round-trip form.</summary>
    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
