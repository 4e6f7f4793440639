using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Workbook.Core;

public static partial class Losses
{
    /// <summary>Cross-entropy from logits with class-index targets (torch.nn.functional.cross_entropy), reduced:
    /// with lp = log_softmax(x) row-wise, l_n = (1-ε) w[y_n] (-lp[n,y_n]) + (ε/C) sum_c w[c] (-lp[n,c]);
    /// Mean = sum_n l_n / sum_n w[y_n] over rows not ignored, Sum = sum_n l_n.</summary>
    /// <param name="logits">rows * classes logits, row-major; finite or -inf (masked class).</param>
    /// <param name="classes">C, the number of classes (row length), at least 1.</param>
    /// <param name="targets">One class index per row, in [0, C), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="reduction">Mean or Sum (for per-row losses use <see cref="CrossEntropyPerExample"/>).</param>
    /// <param name="weight">Optional class weights w (length C, finite, &gt;= 0); empty means all ones.</param>
    /// <param name="ignoreIndex">Rows whose target equals this give 0 and are left out of the Mean's denominator.</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the target becomes (1-ε) one-hot + ε/C uniform.</param>
    /// <remarks>Without weights the Mean divides by the number of rows not ignored; with weights by the sum of
    /// the target weights (PyTorch). Conventions kept from PyTorch: if every row is ignored, or every target has
    /// weight 0, the Mean is 0/0 = NaN (the Sum is 0); a masked (-inf) target logit gives +inf; with ε &gt; 0 any
    /// masked logit in a row gives +inf, since the smoothing term sums over all classes. Logits of ±1e4 or
    /// -1e300 are exact (max-shifted). A NaN or +inf logit is rejected; an all -inf row gives NaN.</remarks>
    /// <exception cref="ArgumentException">Empty or ragged logits, targets of the wrong length or out of range,
    /// weights of the wrong length or negative, ε outside [0, 1], reduction None, or a NaN/+inf logit.</exception>
    public static double CrossEntropy(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default,
        int ignoreIndex = DefaultIgnoreIndex, double labelSmoothing = 0.0)
    {
        CheckIndexArgs(logits, classes, targets, weight, ignoreIndex, labelSmoothing);
        Validate.ScalarReduction(reduction);
        int bad = CrossEntropyIndexCore(logits, classes, targets, weight, ignoreIndex, labelSmoothing, default,
            out double sum, out double denominator);
        if (bad >= 0)
        {
            throw RowReductions.BadLogit(logits, classes, bad, nameof(logits));
        }

        return Reduce(sum, denominator, reduction);
    }

    /// <summary>Cross-entropy from float32 logits with class-index targets, reduced (Mean or Sum); see the float64
    /// overload. The exp/log passes run in float32 (like PyTorch on float32), the accumulation in float64.</summary>
    /// <exception cref="ArgumentException">As the float64 overload.</exception>
    public static float CrossEntropy(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets,
        Reduction reduction = Reduction.Mean)
    {
        Validate.Rows(logits.Length, classes, nameof(logits));
        Validate.SameLength(logits.Length / classes, targets.Length, nameof(targets), "the number of logit rows");
        Validate.Targets(targets, classes, DefaultIgnoreIndex, nameof(targets));
        Validate.ScalarReduction(reduction);
        int bad = CrossEntropyIndexCore(logits, classes, targets, default, DefaultIgnoreIndex, 0.0, default,
            out double sum, out double denominator);
        if (bad >= 0)
        {
            throw RowReductions.BadLogit(logits, classes, bad, nameof(logits));
        }

        return (float)Reduce(sum, denominator, reduction);
    }

    /// <summary>Cross-entropy from logits for one example: -log softmax(x)[target] (with ε: the smoothed form
    /// (1-ε) w[y] (-lp_y) + (ε/C) sum_c w[c] (-lp_c)); not divided by any weight.</summary>
    /// <param name="logits">C logits.</param>
    /// <param name="target">The true class, in [0, C).</param>
    /// <param name="weight">Optional class weights (length C); empty means all ones.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <remarks>Equal logits give log C. Edge cases as the batch overload.</remarks>
    /// <exception cref="ArgumentException">As the batch overload.</exception>
    public static double CrossEntropy(ReadOnlySpan<double> logits, int target, ReadOnlySpan<double> weight = default,
        double labelSmoothing = 0.0)
    {
        Validate.NotEmpty(logits.Length, nameof(logits));
        ReadOnlySpan<int> targets = [target];
        return CrossEntropy(logits, logits.Length, targets, Reduction.Sum, weight, Validate.NoIgnoreIndex, labelSmoothing);
    }

    /// <summary>Per-row cross-entropy from logits with class-index targets (reduction "none"):
    /// losses[n] = l_n as in <see cref="CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Reduction, ReadOnlySpan{double}, int, double)"/>;
    /// ignored rows give 0.</summary>
    /// <param name="logits">rows * classes logits.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row.</param>
    /// <param name="losses">One loss per row.</param>
    /// <param name="weight">Optional class weights.</param>
    /// <param name="ignoreIndex">Target value meaning "ignore this row".</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <remarks>Edge cases as the reduced overload.</remarks>
    /// <exception cref="ArgumentException">As the reduced overload, or losses has the wrong length.</exception>
    public static void CrossEntropyPerExample(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets,
        Span<double> losses, ReadOnlySpan<double> weight = default, int ignoreIndex = DefaultIgnoreIndex,
        double labelSmoothing = 0.0)
    {
        CheckIndexArgs(logits, classes, targets, weight, ignoreIndex, labelSmoothing);
        Validate.SameLength(targets.Length, losses.Length, nameof(losses), nameof(targets));
        int bad = CrossEntropyIndexCore(logits, classes, targets, weight, ignoreIndex, labelSmoothing, losses,
            out _, out _);
        if (bad >= 0)
        {
            throw RowReductions.BadLogit(logits, classes, bad, nameof(logits));
        }
    }

    /// <summary>Gradient of the reduced cross-entropy (class-index targets) with respect to the logits:
    /// g[n,j] = ((1-ε) w[y_n] (softmax[n,j] - [j = y_n]) + (ε/C)(W softmax[n,j] - w[j])) / D, W = sum_c w[c],
    /// D = sum of target weights (Mean) or 1 (Sum). Without weights or smoothing this is (softmax - onehot) / N.</summary>
    /// <param name="logits">rows * classes logits.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">One class index per row.</param>
    /// <param name="gradient">Receives d loss / d logits, same shape as logits.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional class weights.</param>
    /// <param name="ignoreIndex">Ignored rows get a zero gradient.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    /// <remarks>Matches torch autograd, including its conventions: all rows ignored gives zeros; all target
    /// weights 0 with Mean gives NaN (0/0). Masked (-inf) logits get gradient 0 when ε = 0.</remarks>
    /// <exception cref="ArgumentException">As <see cref="CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Reduction, ReadOnlySpan{double}, int, double)"/>,
    /// or gradient has the wrong length.</exception>
    public static void CrossEntropyGradient(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets,
        Span<double> gradient, Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default,
        int ignoreIndex = DefaultIgnoreIndex, double labelSmoothing = 0.0)
    {
        CheckIndexArgs(logits, classes, targets, weight, ignoreIndex, labelSmoothing);
        Validate.ScalarReduction(reduction);
        Validate.SameLength(logits.Length, gradient.Length, nameof(gradient), nameof(logits));
        double denominator = 0.0;
        if (reduction == Reduction.Mean)
        {
            foreach (int t in targets)
            {
                if (t != ignoreIndex)
                {
                    denominator += weight.IsEmpty ? 1.0 : weight[t];
                }
            }
        }
        else
        {
            denominator = 1.0;
        }

        int bad = CrossEntropyIndexGradientCore(logits, classes, targets, weight, ignoreIndex, labelSmoothing,
            denominator, gradient);
        if (bad >= 0)
        {
            throw RowReductions.BadLogit(logits, classes, bad, nameof(logits));
        }
    }

    /// <summary>Gradient of the one-example cross-entropy with respect to its logits: softmax(x) - onehot(target)
    /// (weighted and smoothed as in the batch form, not divided by any weight).</summary>
    /// <exception cref="ArgumentException">As <see cref="CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{double}, double)"/>.</exception>
    public static void CrossEntropyGradient(ReadOnlySpan<double> logits, int target, Span<double> gradient,
        ReadOnlySpan<double> weight = default, double labelSmoothing = 0.0)
    {
        Validate.NotEmpty(logits.Length, nameof(logits));
        ReadOnlySpan<int> targets = [target];
        CrossEntropyGradient(logits, logits.Length, targets, gradient, Reduction.Sum, weight, Validate.NoIgnoreIndex,
            labelSmoothing);
    }

    /// <summary>Reduced cross-entropy of a rectangular array of logits (rows = examples, columns = classes);
    /// see <see cref="CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Reduction, ReadOnlySpan{double}, int, double)"/>.</summary>
    /// <exception cref="ArgumentException">As the span overload.</exception>
    public static double CrossEntropy(double[,] logits, int[] targets, Reduction reduction = Reduction.Mean,
        double[]? weight = null, int ignoreIndex = DefaultIgnoreIndex, double labelSmoothing = 0.0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        return CrossEntropy(RowReductions.AsSpan(logits), Math.Max(1, logits.GetLength(1)), targets, reduction, weight,
            ignoreIndex, labelSmoothing);
    }

    /// <summary>Reduced cross-entropy of a MathNet matrix of logits (rows = examples, columns = classes).</summary>
    /// <exception cref="ArgumentException">As the span overload.</exception>
    public static double CrossEntropy(Matrix<double> logits, int[] targets, Reduction reduction = Reduction.Mean,
        double[]? weight = null, int ignoreIndex = DefaultIgnoreIndex, double labelSmoothing = 0.0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        return CrossEntropy(logits.ToRowMajorArray(), Math.Max(1, logits.ColumnCount), targets, reduction, weight,
            ignoreIndex, labelSmoothing);
    }

    private static void CheckIndexArgs<T>(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets,
        ReadOnlySpan<double> weight, int ignoreIndex, double labelSmoothing)
    {
        int rows = Validate.Rows(logits.Length, classes, nameof(logits));
        Validate.SameLength(rows, targets.Length, nameof(targets), "the number of logit rows");
        Validate.Targets(targets, classes, ignoreIndex, nameof(targets));
        Validate.OptionalClassWeights(weight, classes, nameof(weight));
        Validate.LabelSmoothing(labelSmoothing);
    }

    /// <summary>Unchecked core of the index-target cross-entropy: per-row losses into <paramref name="losses"/>
    /// (if not empty), their sum and the Mean's denominator. Returns the first row with a NaN/+inf logit, or -1.</summary>
    internal static int CrossEntropyIndexCore<T>(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets,
        ReadOnlySpan<double> weight, int ignoreIndex, double eps, Span<double> losses, out double sum,
        out double denominator) where T : unmanaged, IFloatingPointIeee754<T>
    {
        sum = 0.0;
        denominator = 0.0;
        int rows = targets.Length;
        int perBlock = RowReductions.RowsPerBlock(classes);
        T[]? rented = RowReductions.RentIfLong<T>(classes);
        Span<T> scratch = rented ?? stackalloc T[RowReductions.BlockElements];
        Span<T> maxes = stackalloc T[perBlock];
        Span<T> logSums = stackalloc T[perBlock];
        bool plain = weight.IsEmpty && eps == 0.0;
        try
        {
            for (int r0 = 0; r0 < rows; r0 += perBlock)
            {
                int n = Math.Min(perBlock, rows - r0);
                ReadOnlySpan<T> xb = logits.Slice(r0 * classes, n * classes);
                Span<T> lsb = logSums[..n];
                int bad = RowReductions.ExpShifted(xb, classes, T.One, maxes[..n], lsb, scratch, sumsOnly: true);
                if (bad >= 0)
                {
                    return r0 + bad;
                }

                TensorPrimitives.Log<T>(lsb, lsb);
                for (int r = 0; r < n; r++)
                {
                    int t = targets[r0 + r];
                    double l;
                    if (t == ignoreIndex)
                    {
                        l = 0.0;
                    }
                    else
                    {
                        int o = r * classes;
                        T m = maxes[r];
                        T logSum = lsb[r];
                        // -lp_t = log(sum) - (x_t - max): the stable form.
                        double nlp = double.CreateTruncating(logSum - (xb[o + t] - m));
                        if (plain)
                        {
                            l = nlp;
                            denominator += 1.0;
                        }
                        else
                        {
                            double wy = weight.IsEmpty ? 1.0 : weight[t];
                            denominator += wy;
                            l = (1.0 - eps) * wy * nlp;
                            if (eps > 0.0)
                            {
                                double smooth = 0.0;
                                for (int c = 0; c < classes; c++)
                                {
                                    double wc = weight.IsEmpty ? 1.0 : weight[c];
                                    smooth += wc * double.CreateTruncating(logSum - (xb[o + c] - m));
                                }

                                l += eps / classes * smooth;
                            }
                        }
                    }

                    if (!losses.IsEmpty)
                    {
                        losses[r0 + r] = l;
                    }

                    sum += l;
                }
            }
        }
        finally
        {
            RowReductions.Return(rented);
        }

        return -1;
    }

    private static int CrossEntropyIndexGradientCore(ReadOnlySpan<double> logits, int classes,
        ReadOnlySpan<int> targets, ReadOnlySpan<double> weight, int ignoreIndex, double eps, double denominator,
        Span<double> gradient)
    {
        int bad = SoftmaxFunctions.RowsUnchecked(logits, classes, gradient, 1.0, log: false);
        if (bad >= 0)
        {
            return bad;
        }

        double totalWeight = 0.0;
        if (eps > 0.0)
        {
            if (weight.IsEmpty)
            {
                totalWeight = classes;
            }
            else
            {
                foreach (double w in weight)
                {
                    totalWeight += w;
                }
            }
        }

        for (int r = 0; r < targets.Length; r++)
        {
            Span<double> g = gradient.Slice(r * classes, classes);
            int t = targets[r];
            if (t == ignoreIndex)
            {
                g.Clear();
                continue;
            }

            double wy = weight.IsEmpty ? 1.0 : weight[t];
            double a = (1.0 - eps) * wy;
            double b = eps / classes;
            for (int j = 0; j < classes; j++)
            {
                double p = g[j];
                double v = a * (p - (j == t ? 1.0 : 0.0));
                if (eps > 0.0)
                {
                    v += b * (totalWeight * p - (weight.IsEmpty ? 1.0 : weight[j]));
                }

                g[j] = v / denominator;
            }
        }

        return -1;
    }
}
