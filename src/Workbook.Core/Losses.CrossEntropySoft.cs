namespace Workbook.Core;

public static partial class Losses
{
    /// <summary>Cross-entropy from logits with probability (soft) targets, reduced: with t' = (1-ε) t + ε/C and
    /// lp = log_softmax(x), l_n = -sum_c w[c] t'[n,c] lp[n,c]; Mean = sum_n l_n / N (even with weights, as
    /// PyTorch), Sum = sum_n l_n.</summary>
    /// <param name="logits">rows * classes logits, finite or -inf.</param>
    /// <param name="classes">C.</param>
    /// <param name="targetProbabilities">rows * classes target probabilities; each row sums to 1 ± tolerance.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional class weights (length C); empty means all ones.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <param name="tolerance">Allowed |row sum - 1| of the targets.</param>
    /// <remarks>PyTorch convention kept: a target of 0 on a masked (-inf) logit gives 0 · (-inf) = NaN for that row
    /// (torch does not apply 0 log 0 = 0 here). There is no ignore index for soft targets.</remarks>
    /// <exception cref="ArgumentException">Shapes differ, a target row is not a distribution, bad weights or ε,
    /// reduction None, or a NaN/+inf logit.</exception>
    public static double CrossEntropySoft(ReadOnlySpan<double> logits, int classes,
        ReadOnlySpan<double> targetProbabilities, Reduction reduction = Reduction.Mean,
        ReadOnlySpan<double> weight = default, double labelSmoothing = 0.0,
        double tolerance = Validate.DefaultSumTolerance)
    {
        CheckSoftArgs(logits, classes, targetProbabilities, weight, labelSmoothing, tolerance);
        Validate.ScalarReduction(reduction);
        double sum = CrossEntropySoftCore(logits, classes, targetProbabilities, weight, labelSmoothing, default);
        return Reduce(sum, logits.Length / classes, reduction);
    }

    /// <summary>Soft-target cross-entropy of one example: -sum_c w[c] t'_c log softmax(x)_c.</summary>
    /// <exception cref="ArgumentException">As the batch overload.</exception>
    public static double CrossEntropySoft(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities,
        ReadOnlySpan<double> weight = default, double labelSmoothing = 0.0)
    {
        Validate.NotEmpty(logits.Length, nameof(logits));
        return CrossEntropySoft(logits, logits.Length, targetProbabilities, Reduction.Sum, weight, labelSmoothing);
    }

    /// <summary>Per-row soft-target cross-entropy (reduction "none"): losses[n] = l_n.</summary>
    /// <param name="logits">rows * classes logits.</param>
    /// <param name="classes">C.</param>
    /// <param name="targetProbabilities">rows * classes target probabilities.</param>
    /// <param name="losses">One loss per row.</param>
    /// <param name="weight">Optional class weights.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <param name="tolerance">Allowed |row sum - 1| of the targets.</param>
    /// <remarks>Edge cases as <see cref="CrossEntropySoft(ReadOnlySpan{double}, int, ReadOnlySpan{double}, Reduction, ReadOnlySpan{double}, double, double)"/>.</remarks>
    /// <exception cref="ArgumentException">As the reduced overload, or losses has the wrong length.</exception>
    public static void CrossEntropySoftPerExample(ReadOnlySpan<double> logits, int classes,
        ReadOnlySpan<double> targetProbabilities, Span<double> losses, ReadOnlySpan<double> weight = default,
        double labelSmoothing = 0.0, double tolerance = Validate.DefaultSumTolerance)
    {
        CheckSoftArgs(logits, classes, targetProbabilities, weight, labelSmoothing, tolerance);
        Validate.SameLength(logits.Length / classes, losses.Length, nameof(losses), "the number of logit rows");
        CrossEntropySoftCore(logits, classes, targetProbabilities, weight, labelSmoothing, losses);
    }

    /// <summary>Gradient of the reduced soft-target cross-entropy with respect to the logits:
    /// g[n,j] = ((sum_c w[c] t'[n,c]) softmax[n,j] - w[j] t'[n,j]) / D, D = N (Mean) or 1 (Sum).
    /// Without weights and smoothing this is (softmax - t) / N.</summary>
    /// <param name="logits">rows * classes logits.</param>
    /// <param name="classes">C.</param>
    /// <param name="targetProbabilities">rows * classes target probabilities.</param>
    /// <param name="gradient">Receives d loss / d logits.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional class weights.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <param name="tolerance">Allowed |row sum - 1| of the targets.</param>
    /// <remarks>Finite wherever softmax is; masked logits get (sum w t') · 0 - w t' = -w t'.</remarks>
    /// <exception cref="ArgumentException">As the loss, or gradient has the wrong length.</exception>
    public static void CrossEntropySoftGradient(ReadOnlySpan<double> logits, int classes,
        ReadOnlySpan<double> targetProbabilities, Span<double> gradient, Reduction reduction = Reduction.Mean,
        ReadOnlySpan<double> weight = default, double labelSmoothing = 0.0,
        double tolerance = Validate.DefaultSumTolerance)
    {
        CheckSoftArgs(logits, classes, targetProbabilities, weight, labelSmoothing, tolerance);
        Validate.ScalarReduction(reduction);
        Validate.SameLength(logits.Length, gradient.Length, nameof(gradient), nameof(logits));
        int bad = SoftmaxFunctions.RowsUnchecked(logits, classes, gradient, 1.0, log: false);
        if (bad >= 0)
        {
            throw RowReductions.BadLogit(logits, classes, bad, nameof(logits));
        }

        int rows = logits.Length / classes;
        double denominator = reduction == Reduction.Mean ? rows : 1.0;
        double eps = labelSmoothing;
        for (int r = 0; r < rows; r++)
        {
            Span<double> g = gradient.Slice(r * classes, classes);
            ReadOnlySpan<double> t = targetProbabilities.Slice(r * classes, classes);
            double wt = 0.0;
            for (int c = 0; c < classes; c++)
            {
                wt += (weight.IsEmpty ? 1.0 : weight[c]) * ((1.0 - eps) * t[c] + eps / classes);
            }

            for (int j = 0; j < classes; j++)
            {
                double tj = (1.0 - eps) * t[j] + eps / classes;
                g[j] = (wt * g[j] - (weight.IsEmpty ? 1.0 : weight[j]) * tj) / denominator;
            }
        }
    }

    private static void CheckSoftArgs(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<double> targets,
        ReadOnlySpan<double> weight, double labelSmoothing, double tolerance)
    {
        Validate.Rows(logits.Length, classes, nameof(logits));
        Validate.SameLength(logits.Length, targets.Length, "targetProbabilities", nameof(logits));
        Validate.DistributionRows(targets, classes, "targetProbabilities", tolerance);
        Validate.OptionalClassWeights(weight, classes, nameof(weight));
        Validate.LabelSmoothing(labelSmoothing);
    }

    private static double CrossEntropySoftCore(ReadOnlySpan<double> logits, int classes,
        ReadOnlySpan<double> targets, ReadOnlySpan<double> weight, double eps, Span<double> losses)
    {
        int rows = logits.Length / classes;
        double[]? rented = classes > RowReductions.BlockElements ? System.Buffers.ArrayPool<double>.Shared.Rent(classes) : null;
        Span<double> lp = rented is null ? stackalloc double[classes] : rented.AsSpan(0, classes);
        double sum = 0.0;
        try
        {
            for (int r = 0; r < rows; r++)
            {
                int bad = SoftmaxFunctions.RowsUnchecked(logits.Slice(r * classes, classes), classes, lp, 1.0, log: true);
                if (bad >= 0)
                {
                    throw RowReductions.BadLogit(logits, classes, r, nameof(logits));
                }

                ReadOnlySpan<double> t = targets.Slice(r * classes, classes);
                double l = 0.0;
                for (int c = 0; c < classes; c++)
                {
                    double tc = eps == 0.0 ? t[c] : (1.0 - eps) * t[c] + eps / classes;
                    l -= (weight.IsEmpty ? 1.0 : weight[c]) * tc * lp[c];
                }

                if (!losses.IsEmpty)
                {
                    losses[r] = l;
                }

                sum += l;
            }
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<double>.Shared.Return(rented);
            }
        }

        return sum;
    }
}
