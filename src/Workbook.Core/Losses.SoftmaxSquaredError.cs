namespace Workbook.Core;

public static partial class Losses
{
    /// <summary>Squared error between the softmax of the logits and the one-hot target, the "Brier" loss:
    /// l_n = sum_c (softmax(z_n)_c - [c = y_n])^2, reduced by Mean (over rows) or Sum.</summary>
    /// <param name="logits">rows * classes logits, row-major, finite (-inf masks a class).</param>
    /// <param name="classes">C, at least 1.</param>
    /// <param name="targets">One class index per row, in [0, C).</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <remarks>Bounded in [0, 2]: a confidently wrong row costs at most 2, where cross-entropy grows without bound.
    /// That bound is why its gradient vanishes when the model is confidently wrong (see
    /// <see cref="SoftmaxSquaredErrorGradient"/>). Logits are max-shifted, so ±1e4 is exact.</remarks>
    /// <exception cref="ArgumentException">Empty or ragged logits, targets of the wrong length or out of range, a
    /// NaN or +inf logit, or reduction None.</exception>
    public static double SoftmaxSquaredError(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets,
        Reduction reduction = Reduction.Mean)
    {
        int rows = CheckSquaredErrorArgs(logits, classes, targets);
        Validate.ScalarReduction(reduction);
        var s = new double[logits.Length];
        SoftmaxFunctions.SoftmaxRows(logits, classes, s);
        double sum = 0.0;
        for (int n = 0; n < rows; n++)
        {
            for (int c = 0; c < classes; c++)
            {
                double r = s[n * classes + c] - (c == targets[n] ? 1.0 : 0.0);
                sum += r * r;
            }
        }

        return Reduce(sum, rows, reduction);
    }

    /// <summary>Gradient of <see cref="SoftmaxSquaredError"/> with respect to the logits: with s = softmax(z_n) and
    /// r = s - onehot(y_n), g[n,j] = 2 s_j (r_j - sum_i r_i s_i) / D, D = rows (Mean) or 1 (Sum).</summary>
    /// <param name="logits">rows * classes logits.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row.</param>
    /// <param name="gradient">Receives d loss / d logits, same shape as logits.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <remarks>The factor s_j is the softmax's own derivative: as the true class's probability goes to 0 with the
    /// rest on one wrong class, the whole gradient goes to 0 (cross-entropy's stays near -1 on the true logit).</remarks>
    /// <exception cref="ArgumentException">As the loss, or gradient has the wrong length.</exception>
    public static void SoftmaxSquaredErrorGradient(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets,
        Span<double> gradient, Reduction reduction = Reduction.Mean)
    {
        int rows = CheckSquaredErrorArgs(logits, classes, targets);
        Validate.ScalarReduction(reduction);
        Validate.SameLength(logits.Length, gradient.Length, nameof(gradient), nameof(logits));
        SoftmaxFunctions.SoftmaxRows(logits, classes, gradient);   // gradient holds s for now
        double d = reduction == Reduction.Mean ? rows : 1.0;
        for (int n = 0; n < rows; n++)
        {
            var s = gradient.Slice(n * classes, classes);
            double dot = 0.0;
            for (int i = 0; i < classes; i++)
            {
                dot += (s[i] - (i == targets[n] ? 1.0 : 0.0)) * s[i];
            }

            for (int j = 0; j < classes; j++)
            {
                double r = s[j] - (j == targets[n] ? 1.0 : 0.0);
                s[j] = 2.0 * s[j] * (r - dot) / d;
            }
        }
    }

    private static int CheckSquaredErrorArgs(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets)
    {
        int rows = Validate.Rows(logits.Length, classes, nameof(logits));
        Validate.SameLength(rows, targets.Length, nameof(targets), "the number of logit rows");
        Validate.Targets(targets, classes, Validate.NoIgnoreIndex, nameof(targets));
        return rows;
    }
}
