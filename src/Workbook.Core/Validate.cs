using System.Globalization;

namespace Workbook.Core;

/// <summary>Argument checks shared by the public entry points. Each throws an <see cref="ArgumentException"/>
/// that names the argument and the problem.</summary>
internal static class Validate
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

    /// <summary>Checks that <paramref name="length"/> is positive (a span is not empty).</summary>
    /// <exception cref="ArgumentException">The length is 0.</exception>
    public static void NotEmpty(int length, string paramName)
    {
        if (length == 0)
        {
            throw new ArgumentException($"{paramName} is empty, expected at least one element", paramName);
        }
    }

    /// <summary>Checks that a flat row-major batch of <paramref name="length"/> values splits into rows of
    /// <paramref name="classes"/> values, and returns the number of rows.</summary>
    /// <exception cref="ArgumentException">classes &lt; 1, the batch is empty, or its length is not a multiple of classes.</exception>
    public static int Rows(int length, int classes, string paramName)
    {
        if (classes < 1)
        {
            throw new ArgumentException($"classes is {classes}, expected at least 1", nameof(classes));
        }

        NotEmpty(length, paramName);
        if (length % classes != 0)
        {
            throw new ArgumentException(
                $"{paramName} has length {length}, which is not a multiple of classes = {classes}", paramName);
        }

        return length / classes;
    }

    /// <summary>Checks every entry is a number in [0, 1] (not NaN); no condition on the sum.</summary>
    /// <exception cref="ArgumentException">An entry is NaN or outside [0, 1].</exception>
    public static void UnitInterval(ReadOnlySpan<double> x, string paramName)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (!(v >= 0.0 && v <= 1.0))
            {
                throw new ArgumentException($"{paramName}[{i}] is {Format(v)}, expected a value in [0, 1]", paramName);
            }
        }
    }

    /// <summary>Checks every entry is finite and &gt;= 0 (class weights, pos_weight).</summary>
    /// <exception cref="ArgumentException">An entry is NaN, infinite or negative.</exception>
    public static void NonNegativeFinite(ReadOnlySpan<double> x, string paramName)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (!(v >= 0.0 && v < double.PositiveInfinity))
            {
                throw new ArgumentException($"{paramName}[{i}] is {Format(v)}, expected a finite value >= 0", paramName);
            }
        }
    }

    /// <summary>Checks no entry is NaN.</summary>
    /// <exception cref="ArgumentException">An entry is NaN.</exception>
    public static void NoNaN(ReadOnlySpan<double> x, string paramName)
    {
        if (System.Numerics.Tensors.TensorPrimitives.IsNaNAny(x))
        {
            int i = FirstNaN(x);
            throw new ArgumentException($"{paramName}[{i}] is NaN", paramName);
        }
    }

    /// <summary>Checks an optional per-class vector: empty (not given) or exactly <paramref name="classes"/>
    /// finite non-negative values.</summary>
    /// <exception cref="ArgumentException">Wrong length or a NaN, infinite or negative entry.</exception>
    public static void OptionalClassWeights(ReadOnlySpan<double> weight, int classes, string paramName)
    {
        if (weight.IsEmpty)
        {
            return;
        }

        if (weight.Length != classes)
        {
            throw new ArgumentException(
                $"{paramName} has length {weight.Length}, expected one weight per class ({classes})", paramName);
        }

        NonNegativeFinite(weight, paramName);
    }

    /// <summary>Checks a label-smoothing factor is in [0, 1].</summary>
    /// <exception cref="ArgumentException">NaN or outside [0, 1].</exception>
    public static void LabelSmoothing(double labelSmoothing, string paramName = "labelSmoothing")
    {
        if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0))
        {
            throw new ArgumentException(
                $"{paramName} is {Format(labelSmoothing)}, expected a value in [0, 1]", paramName);
        }
    }

    /// <summary>Checks a softmax temperature is finite and &gt; 0.</summary>
    /// <exception cref="ArgumentException">NaN, infinite or not positive.</exception>
    public static void Temperature(double temperature, string paramName = "temperature")
    {
        if (!(temperature > 0.0 && temperature < double.PositiveInfinity))
        {
            throw new ArgumentException(
                $"{paramName} is {Format(temperature)}, expected a finite temperature > 0", paramName);
        }
    }

    /// <summary>Checks a reduction is one a gradient is defined for (a scalar loss: Mean or Sum).</summary>
    /// <exception cref="ArgumentException">The reduction is None or not a defined value.</exception>
    public static void ScalarReduction(Reduction reduction, string paramName = "reduction")
    {
        if (reduction is not (Reduction.Mean or Reduction.Sum))
        {
            throw new ArgumentException(
                $"{paramName} is {reduction}; a gradient needs a scalar loss, expected Mean or Sum", paramName);
        }
    }

    /// <summary>Checks every row of a row-major batch is a probability vector (entries in [0, 1], summing to
    /// 1 within <paramref name="tolerance"/>).</summary>
    /// <exception cref="ArgumentException">An entry is NaN or outside [0, 1], or a row does not sum to 1.</exception>
    public static void DistributionRows(ReadOnlySpan<double> x, int classes, string paramName,
        double tolerance = DefaultSumTolerance)
    {
        if (double.IsNaN(tolerance) || tolerance < 0)
        {
            throw new ArgumentException($"tolerance is {tolerance}, expected a number >= 0", nameof(tolerance));
        }

        for (int r = 0; r * classes < x.Length; r++)
        {
            ReadOnlySpan<double> row = x.Slice(r * classes, classes);
            double sum = 0.0;
            for (int c = 0; c < row.Length; c++)
            {
                double v = row[c];
                if (!(v >= 0.0 && v <= 1.0))
                {
                    throw new ArgumentException(
                        $"{paramName}[{r}, {c}] is {Format(v)}, expected a probability in [0, 1]", paramName);
                }

                sum += v;
            }

            if (Math.Abs(sum - 1.0) > tolerance)
            {
                throw new ArgumentException(
                    $"{paramName} row {r} sums to {Format(sum)}, expected 1 ± {Format(tolerance)}", paramName);
            }
        }
    }

    /// <summary>Passed as ignoreIndex when no target may be ignored.</summary>
    internal const int NoIgnoreIndex = int.MinValue;

    /// <summary>Checks class-index targets: each in [0, classes) or equal to <paramref name="ignoreIndex"/>.</summary>
    /// <exception cref="ArgumentException">A target is out of range.</exception>
    public static void Targets(ReadOnlySpan<int> targets, int classes, int ignoreIndex, string paramName)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            int t = targets[i];
            if ((uint)t >= (uint)classes && (ignoreIndex == NoIgnoreIndex || t != ignoreIndex))
            {
                throw new ArgumentException(
                    $"{paramName}[{i}] is {t}, expected a class index in [0, {classes}) or ignoreIndex ({ignoreIndex})",
                    paramName);
            }
        }
    }

    private static int FirstNaN(ReadOnlySpan<double> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Formats a number the way error messages show it: shortest round-trip form.</summary>
    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
