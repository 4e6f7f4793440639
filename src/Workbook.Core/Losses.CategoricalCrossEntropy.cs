namespace Workbook.Core;

public static partial class Losses
{
    /// <summary>Categorical cross-entropy on model probabilities q with class-index targets, reduced over rows:
    /// l_n = -log q[n, y_n] / ln(base) (nats by default); Mean = sum_n l_n / N, Sum = sum_n l_n.</summary>
    /// <param name="probabilities">rows * classes model probabilities; each row sums to 1 ± tolerance.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row, in [0, C).</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="unit">Nats, bits or hartleys. The course's example q = [0.775, 0.116, 0.039, 0.070] with
    /// target 0 costs -log2 0.775 = 0.3677 bits.</param>
    /// <param name="tolerance">Allowed |row sum - 1|.</param>
    /// <remarks>No clipping: q = 0 at the target gives +inf; q = 0 elsewhere is harmless (0 log 0 = 0).</remarks>
    /// <exception cref="ArgumentException">A row is not a distribution, targets are out of range or of the wrong
    /// length, or reduction None.</exception>
    public static double CategoricalCrossEntropy(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<int> targets, Reduction reduction = Reduction.Mean, InformationUnit unit = InformationUnit.Nats,
        double tolerance = Validate.DefaultSumTolerance) =>
        CategoricalIndex(probabilities, classes, targets, reduction, unit.LnBase(), tolerance);

    /// <summary>Categorical cross-entropy (index targets) in an arbitrary logarithm base; see the unit overload.</summary>
    /// <exception cref="ArgumentException">As the unit overload, or the base is not finite, positive and ≠ 1.</exception>
    public static double CategoricalCrossEntropy(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<int> targets, Reduction reduction, double logBase,
        double tolerance = Validate.DefaultSumTolerance) =>
        CategoricalIndex(probabilities, classes, targets, reduction,
            InformationUnits.LnOfBase(logBase, nameof(logBase)), tolerance);

    /// <summary>Categorical cross-entropy of one example: -log q[target] / ln(base).</summary>
    /// <param name="probabilities">The model distribution q.</param>
    /// <param name="target">The observed class.</param>
    /// <param name="unit">Nats, bits or hartleys.</param>
    /// <remarks>q[target] = 0 gives +inf.</remarks>
    /// <exception cref="ArgumentException">q is not a distribution or the target is out of range.</exception>
    public static double CategoricalCrossEntropy(ReadOnlySpan<double> probabilities, int target,
        InformationUnit unit = InformationUnit.Nats)
    {
        Validate.NotEmpty(probabilities.Length, nameof(probabilities));
        ReadOnlySpan<int> targets = [target];
        return CategoricalCrossEntropy(probabilities, probabilities.Length, targets, Reduction.Sum, unit);
    }

    /// <summary>Categorical cross-entropy on model probabilities with probability targets t, reduced over rows:
    /// l_n = -sum_c xlogy(t[n,c], q[n,c]) / ln(base), xlogy(0, ·) = 0; Mean = sum_n l_n / N.</summary>
    /// <param name="probabilities">rows * classes model probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="targetProbabilities">rows * classes target probabilities.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="unit">Nats, bits or hartleys.</param>
    /// <param name="tolerance">Allowed |row sum - 1| for both.</param>
    /// <remarks>This is the row-wise <see cref="Information.CrossEntropy(ReadOnlySpan{double}, ReadOnlySpan{double}, InformationUnit, double)"/>.
    /// q = 0 where t &gt; 0 gives +inf.</remarks>
    /// <exception cref="ArgumentException">Shapes differ, a row is not a distribution, or reduction None.</exception>
    public static double CategoricalCrossEntropySoft(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<double> targetProbabilities, Reduction reduction = Reduction.Mean,
        InformationUnit unit = InformationUnit.Nats, double tolerance = Validate.DefaultSumTolerance) =>
        CategoricalSoft(probabilities, classes, targetProbabilities, reduction, unit.LnBase(), tolerance);

    /// <summary>Categorical cross-entropy with probability targets in an arbitrary logarithm base.</summary>
    /// <exception cref="ArgumentException">As the unit overload, or the base is not finite, positive and ≠ 1.</exception>
    public static double CategoricalCrossEntropySoft(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<double> targetProbabilities, Reduction reduction, double logBase,
        double tolerance = Validate.DefaultSumTolerance) =>
        CategoricalSoft(probabilities, classes, targetProbabilities, reduction,
            InformationUnits.LnOfBase(logBase, nameof(logBase)), tolerance);

    /// <summary>Per-row categorical cross-entropy with index targets (reduction "none"):
    /// losses[n] = -log q[n, y_n] / ln(base).</summary>
    /// <param name="probabilities">rows * classes model probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row.</param>
    /// <param name="losses">One loss per row.</param>
    /// <param name="unit">Nats, bits or hartleys.</param>
    /// <param name="tolerance">Allowed |row sum - 1|.</param>
    /// <remarks>q = 0 at the target gives +inf.</remarks>
    /// <exception cref="ArgumentException">As the reduced overload, or losses has the wrong length.</exception>
    public static void CategoricalCrossEntropyPerExample(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<int> targets, Span<double> losses, InformationUnit unit = InformationUnit.Nats,
        double tolerance = Validate.DefaultSumTolerance)
    {
        CheckCategoricalIndex(probabilities, classes, targets, tolerance);
        Validate.SameLength(targets.Length, losses.Length, nameof(losses), nameof(targets));
        double lnBase = unit.LnBase();
        for (int r = 0; r < targets.Length; r++)
        {
            losses[r] = -Math.Log(probabilities[r * classes + targets[r]]) / lnBase;
        }
    }

    /// <summary>Per-row categorical cross-entropy with probability targets (reduction "none").</summary>
    /// <param name="probabilities">rows * classes model probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="targetProbabilities">rows * classes target probabilities.</param>
    /// <param name="losses">One loss per row.</param>
    /// <param name="unit">Nats, bits or hartleys.</param>
    /// <param name="tolerance">Allowed |row sum - 1|.</param>
    /// <remarks>xlogy(0, q) = 0; q = 0 where t &gt; 0 gives +inf.</remarks>
    /// <exception cref="ArgumentException">As the reduced overload, or losses has the wrong length.</exception>
    public static void CategoricalCrossEntropySoftPerExample(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<double> targetProbabilities, Span<double> losses, InformationUnit unit = InformationUnit.Nats,
        double tolerance = Validate.DefaultSumTolerance)
    {
        CheckCategoricalSoft(probabilities, classes, targetProbabilities, tolerance);
        Validate.SameLength(probabilities.Length / classes, losses.Length, nameof(losses), "the number of rows");
        double lnBase = unit.LnBase();
        for (int r = 0; r < losses.Length; r++)
        {
            losses[r] = Information.CrossEntropyUnchecked(targetProbabilities.Slice(r * classes, classes),
                probabilities.Slice(r * classes, classes)) / lnBase;
        }
    }

    /// <summary>Gradient of the reduced categorical cross-entropy (probability or one-hot targets t) with respect
    /// to the model probabilities: g[n,c] = -t[n,c] / (q[n,c] ln(base) D), 0 where t = 0; D = N (Mean) or 1 (Sum).</summary>
    /// <param name="probabilities">rows * classes model probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="targetProbabilities">rows * classes target probabilities (one-hot for index targets).</param>
    /// <param name="gradient">Receives d loss / d q.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="unit">Nats, bits or hartleys.</param>
    /// <param name="tolerance">Allowed |row sum - 1|.</param>
    /// <remarks>The unconstrained partial derivative (q treated as free inputs, as autograd does). q = 0 where t &gt; 0
    /// gives -inf.</remarks>
    /// <exception cref="ArgumentException">As the loss, or gradient has the wrong length.</exception>
    public static void CategoricalCrossEntropySoftGradient(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<double> targetProbabilities, Span<double> gradient, Reduction reduction = Reduction.Mean,
        InformationUnit unit = InformationUnit.Nats, double tolerance = Validate.DefaultSumTolerance)
    {
        CheckCategoricalSoft(probabilities, classes, targetProbabilities, tolerance);
        Validate.ScalarReduction(reduction);
        Validate.SameLength(probabilities.Length, gradient.Length, nameof(gradient), nameof(probabilities));
        double scale = unit.LnBase() * (reduction == Reduction.Mean ? probabilities.Length / classes : 1.0);
        for (int i = 0; i < gradient.Length; i++)
        {
            double t = targetProbabilities[i];
            gradient[i] = t == 0.0 ? 0.0 : -t / (probabilities[i] * scale);
        }
    }

    /// <summary>Gradient of the reduced categorical cross-entropy with index targets with respect to q:
    /// g[n, y_n] = -1 / (q[n, y_n] ln(base) D), 0 elsewhere.</summary>
    /// <param name="probabilities">rows * classes model probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row.</param>
    /// <param name="gradient">Receives d loss / d q.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="unit">Nats, bits or hartleys.</param>
    /// <param name="tolerance">Allowed |row sum - 1|.</param>
    /// <remarks>q = 0 at the target gives -inf.</remarks>
    /// <exception cref="ArgumentException">As the loss, or gradient has the wrong length.</exception>
    public static void CategoricalCrossEntropyGradient(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<int> targets, Span<double> gradient, Reduction reduction = Reduction.Mean,
        InformationUnit unit = InformationUnit.Nats, double tolerance = Validate.DefaultSumTolerance)
    {
        CheckCategoricalIndex(probabilities, classes, targets, tolerance);
        Validate.ScalarReduction(reduction);
        Validate.SameLength(probabilities.Length, gradient.Length, nameof(gradient), nameof(probabilities));
        double scale = unit.LnBase() * (reduction == Reduction.Mean ? targets.Length : 1.0);
        gradient.Clear();
        for (int r = 0; r < targets.Length; r++)
        {
            int i = r * classes + targets[r];
            gradient[i] = -1.0 / (probabilities[i] * scale);
        }
    }

    private static double CategoricalIndex(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<int> targets, Reduction reduction, double lnBase, double tolerance)
    {
        CheckCategoricalIndex(probabilities, classes, targets, tolerance);
        Validate.ScalarReduction(reduction);
        double sum = 0.0;
        for (int r = 0; r < targets.Length; r++)
        {
            sum -= Math.Log(probabilities[r * classes + targets[r]]);
        }

        return Reduce(sum, targets.Length, reduction) / lnBase;
    }

    private static double CategoricalSoft(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<double> targets, Reduction reduction, double lnBase, double tolerance)
    {
        CheckCategoricalSoft(probabilities, classes, targets, tolerance);
        Validate.ScalarReduction(reduction);
        int rows = probabilities.Length / classes;
        double sum = 0.0;
        for (int r = 0; r < rows; r++)
        {
            sum += Information.CrossEntropyUnchecked(targets.Slice(r * classes, classes),
                probabilities.Slice(r * classes, classes));
        }

        return Reduce(sum, rows, reduction) / lnBase;
    }

    private static void CheckCategoricalIndex(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<int> targets, double tolerance)
    {
        int rows = Validate.Rows(probabilities.Length, classes, nameof(probabilities));
        Validate.DistributionRows(probabilities, classes, nameof(probabilities), tolerance);
        Validate.SameLength(rows, targets.Length, nameof(targets), "the number of rows of probabilities");
        Validate.Targets(targets, classes, Validate.NoIgnoreIndex, nameof(targets));
    }

    private static void CheckCategoricalSoft(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<double> targets, double tolerance)
    {
        Validate.Rows(probabilities.Length, classes, nameof(probabilities));
        Validate.DistributionRows(probabilities, classes, nameof(probabilities), tolerance);
        Validate.SameLength(probabilities.Length, targets.Length, "targetProbabilities", nameof(probabilities));
        Validate.DistributionRows(targets, classes, "targetProbabilities", tolerance);
    }
}
