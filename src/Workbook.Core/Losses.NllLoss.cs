namespace Workbook.Core;

public static partial class Losses
{
    /// <summary>Negative log-likelihood on log-probabilities (torch.nn.functional.nll_loss), reduced:
    /// l_n = -w[y_n] · input[n, y_n]; Mean = sum_n l_n / sum_n w[y_n] over rows not ignored, Sum = sum_n l_n.
    /// NLL(log_softmax(x)) equals cross-entropy from logits x.</summary>
    /// <param name="logProbabilities">rows * classes log-probabilities (usually log_softmax output).</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row, in [0, C), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional class weights (length C).</param>
    /// <param name="ignoreIndex">Rows with this target give 0 and leave the Mean's denominator.</param>
    /// <remarks>The input is not required to be normalised (it just picks -input[n, y_n], which can be negative).
    /// -inf at the target gives +inf. All rows ignored (or all target weights 0) gives Mean = NaN (PyTorch).</remarks>
    /// <exception cref="ArgumentException">Empty or ragged input, a NaN entry, targets out of range or of the wrong
    /// length, bad weights, or reduction None.</exception>
    public static double NllLoss(ReadOnlySpan<double> logProbabilities, int classes, ReadOnlySpan<int> targets,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default,
        int ignoreIndex = DefaultIgnoreIndex)
    {
        CheckNllArgs(logProbabilities, classes, targets, weight, ignoreIndex);
        Validate.ScalarReduction(reduction);
        double sum = NllCore(logProbabilities, classes, targets, weight, ignoreIndex, default, out double denominator);
        return Reduce(sum, denominator, reduction);
    }

    /// <summary>Per-row NLL (reduction "none"): losses[n] = -w[y_n] input[n, y_n], 0 for ignored rows.</summary>
    /// <param name="logProbabilities">rows * classes log-probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row.</param>
    /// <param name="losses">One loss per row.</param>
    /// <param name="weight">Optional class weights.</param>
    /// <param name="ignoreIndex">Target value meaning "ignore this row".</param>
    /// <remarks>-inf at the target gives +inf.</remarks>
    /// <exception cref="ArgumentException">As the reduced overload, or losses has the wrong length.</exception>
    public static void NllLossPerExample(ReadOnlySpan<double> logProbabilities, int classes,
        ReadOnlySpan<int> targets, Span<double> losses, ReadOnlySpan<double> weight = default,
        int ignoreIndex = DefaultIgnoreIndex)
    {
        CheckNllArgs(logProbabilities, classes, targets, weight, ignoreIndex);
        Validate.SameLength(targets.Length, losses.Length, nameof(losses), nameof(targets));
        NllCore(logProbabilities, classes, targets, weight, ignoreIndex, losses, out _);
    }

    /// <summary>Gradient of the reduced NLL with respect to its input: g[n, y_n] = -w[y_n] / D and 0 elsewhere,
    /// D = sum of target weights (Mean) or 1 (Sum).</summary>
    /// <param name="logProbabilities">rows * classes log-probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row.</param>
    /// <param name="gradient">Receives d loss / d input.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional class weights.</param>
    /// <param name="ignoreIndex">Ignored rows get zeros.</param>
    /// <remarks>Independent of the input values. All target weights 0 with Mean gives NaN at the targets.</remarks>
    /// <exception cref="ArgumentException">As the loss, or gradient has the wrong length.</exception>
    public static void NllLossGradient(ReadOnlySpan<double> logProbabilities, int classes,
        ReadOnlySpan<int> targets, Span<double> gradient, Reduction reduction = Reduction.Mean,
        ReadOnlySpan<double> weight = default, int ignoreIndex = DefaultIgnoreIndex)
    {
        CheckNllArgs(logProbabilities, classes, targets, weight, ignoreIndex);
        Validate.ScalarReduction(reduction);
        Validate.SameLength(logProbabilities.Length, gradient.Length, nameof(gradient), nameof(logProbabilities));
        double denominator = 1.0;
        if (reduction == Reduction.Mean)
        {
            NllCore(logProbabilities, classes, targets, weight, ignoreIndex, default, out denominator);
        }

        gradient.Clear();
        for (int r = 0; r < targets.Length; r++)
        {
            int t = targets[r];
            if (t != ignoreIndex)
            {
                gradient[r * classes + t] = -(weight.IsEmpty ? 1.0 : weight[t]) / denominator;
            }
        }
    }

    private static void CheckNllArgs(ReadOnlySpan<double> input, int classes, ReadOnlySpan<int> targets,
        ReadOnlySpan<double> weight, int ignoreIndex)
    {
        int rows = Validate.Rows(input.Length, classes, "logProbabilities");
        Validate.NoNaN(input, "logProbabilities");
        Validate.SameLength(rows, targets.Length, nameof(targets), "the number of rows of logProbabilities");
        Validate.Targets(targets, classes, ignoreIndex, nameof(targets));
        Validate.OptionalClassWeights(weight, classes, nameof(weight));
    }

    private static double NllCore(ReadOnlySpan<double> input, int classes, ReadOnlySpan<int> targets,
        ReadOnlySpan<double> weight, int ignoreIndex, Span<double> losses, out double denominator)
    {
        double sum = 0.0;
        denominator = 0.0;
        for (int r = 0; r < targets.Length; r++)
        {
            int t = targets[r];
            double l = 0.0;
            if (t != ignoreIndex)
            {
                double w = weight.IsEmpty ? 1.0 : weight[t];
                denominator += w;
                l = -w * input[r * classes + t];
            }

            if (!losses.IsEmpty)
            {
                losses[r] = l;
            }

            sum += l;
        }

        return sum;
    }
}
