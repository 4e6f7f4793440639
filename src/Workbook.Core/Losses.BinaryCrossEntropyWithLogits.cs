using System.Numerics;
using System.Numerics.Tensors;

namespace Workbook.Core;

public static partial class Losses
{
    /// <summary>Binary cross-entropy from logits (torch.nn.functional.binary_cross_entropy_with_logits), reduced:
    /// l = w_c ((1 - y) x + (1 + (pw_c - 1) y) softplus(-x)), softplus(-x) = max(-x, 0) + ln(1 + exp(-|x|));
    /// Mean = sum / (number of elements), Sum = sum. Equals BCE(sigmoid(x), y) without its clamp, computed stably.</summary>
    /// <param name="logits">Logits x, finite; viewed as rows of C when weights are given.</param>
    /// <param name="y">Targets in [0, 1], the same length.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional per-class weights w (length C, broadcast over rows; C divides the length).</param>
    /// <param name="posWeight">Optional per-class weights pw of the positive term (length C), for class imbalance.</param>
    /// <remarks>Stable for any finite logit: x = ±1000 gives 0 or 1000, never inf or NaN. Vectorised, no allocation.
    /// At x = 40, y = 1 the exact loss 4.25e-18 may come out as 0 (ln(1 + tiny) rounding, as PyTorch).</remarks>
    /// <exception cref="ArgumentException">Empty input, lengths differ, a NaN or infinite logit, y outside [0, 1],
    /// weights of a length that does not divide the input or negative, or reduction None.</exception>
    public static double BinaryCrossEntropyWithLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> y,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default,
        ReadOnlySpan<double> posWeight = default)
    {
        int classes = CheckBceLogitsArgs(logits, y, weight, posWeight);
        Validate.ScalarReduction(reduction);
        double sum = BceLogitsCore(logits, y, classes, weight, posWeight, default);
        return Reduce(sum, logits.Length, reduction);
    }

    /// <summary>Binary cross-entropy from one logit: (1 - y) x + softplus(-x).</summary>
    /// <param name="logit">x, finite.</param>
    /// <param name="y">Target in [0, 1].</param>
    /// <remarks>Stable for any finite x.</remarks>
    /// <exception cref="ArgumentException">x not finite or y outside [0, 1].</exception>
    public static double BinaryCrossEntropyWithLogits(double logit, double y)
    {
        ReadOnlySpan<double> xs = [logit];
        ReadOnlySpan<double> ys = [y];
        return BinaryCrossEntropyWithLogits(xs, ys, Reduction.Sum);
    }

    /// <summary>Per-element binary cross-entropy from logits (reduction "none").</summary>
    /// <param name="logits">Logits.</param>
    /// <param name="y">Targets.</param>
    /// <param name="losses">One loss per element.</param>
    /// <param name="weight">Optional per-class weights.</param>
    /// <param name="posWeight">Optional per-class positive weights.</param>
    /// <remarks>As the reduced overload.</remarks>
    /// <exception cref="ArgumentException">As the reduced overload, or losses has the wrong length.</exception>
    public static void BinaryCrossEntropyWithLogitsPerElement(ReadOnlySpan<double> logits, ReadOnlySpan<double> y,
        Span<double> losses, ReadOnlySpan<double> weight = default, ReadOnlySpan<double> posWeight = default)
    {
        int classes = CheckBceLogitsArgs(logits, y, weight, posWeight);
        Validate.SameLength(logits.Length, losses.Length, nameof(losses), nameof(logits));
        BceLogitsCore(logits, y, classes, weight, posWeight, losses);
    }

    /// <summary>Gradient of the reduced binary cross-entropy from logits with respect to the logits:
    /// g = w_c ((1 + (pw_c - 1) y) sigmoid(x) - pw_c y) / D, D = number of elements (Mean) or 1 (Sum). Without
    /// weights this is (sigmoid(x) - y) / n.</summary>
    /// <param name="logits">Logits.</param>
    /// <param name="y">Targets.</param>
    /// <param name="gradient">Receives d loss / d logits.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional per-class weights.</param>
    /// <param name="posWeight">Optional per-class positive weights.</param>
    /// <remarks>Always finite; saturated logits give (0 or 1) - y.</remarks>
    /// <exception cref="ArgumentException">As the loss, or gradient has the wrong length.</exception>
    public static void BinaryCrossEntropyWithLogitsGradient(ReadOnlySpan<double> logits, ReadOnlySpan<double> y,
        Span<double> gradient, Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default,
        ReadOnlySpan<double> posWeight = default)
    {
        int classes = CheckBceLogitsArgs(logits, y, weight, posWeight);
        Validate.ScalarReduction(reduction);
        Validate.SameLength(logits.Length, gradient.Length, nameof(gradient), nameof(logits));
        double d = reduction == Reduction.Mean ? logits.Length : 1.0;
        for (int i = 0; i < logits.Length; i++)
        {
            double x = logits[i];
            int c = i % classes;
            double w = weight.IsEmpty ? 1.0 : weight[c];
            double pw = posWeight.IsEmpty ? 1.0 : posWeight[c];
            double sig = x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));
            gradient[i] = w * ((1.0 + (pw - 1.0) * y[i]) * sig - pw * y[i]) / d;
        }
    }

    private static int CheckBceLogitsArgs(ReadOnlySpan<double> logits, ReadOnlySpan<double> y,
        ReadOnlySpan<double> weight, ReadOnlySpan<double> posWeight)
    {
        Validate.NotEmpty(logits.Length, nameof(logits));
        Validate.SameLength(logits.Length, y.Length, nameof(y), nameof(logits));
        if (!TensorPrimitives.IsFiniteAll(logits))
        {
            for (int i = 0; i < logits.Length; i++)
            {
                if (!double.IsFinite(logits[i]))
                {
                    throw new ArgumentException(
                        $"logits[{i}] is {Validate.Format(logits[i])}, expected a finite logit", nameof(logits));
                }
            }
        }

        Validate.UnitInterval(y, nameof(y));
        int classes = !weight.IsEmpty ? weight.Length : !posWeight.IsEmpty ? posWeight.Length : 1;
        if (!weight.IsEmpty && !posWeight.IsEmpty)
        {
            Validate.SameLength(weight.Length, posWeight.Length, nameof(posWeight), nameof(weight));
        }

        if (logits.Length % classes != 0)
        {
            string name = weight.IsEmpty ? nameof(posWeight) : nameof(weight);
            throw new ArgumentException(
                $"{name} has length {classes}, which does not divide the {logits.Length} logits into rows", name);
        }

        Validate.NonNegativeFinite(weight, nameof(weight));
        Validate.NonNegativeFinite(posWeight, nameof(posWeight));
        return classes;
    }

    private static double BceLogitsCore(ReadOnlySpan<double> logits, ReadOnlySpan<double> y, int classes,
        ReadOnlySpan<double> weight, ReadOnlySpan<double> posWeight, Span<double> losses)
    {
        const int block = RowReductions.BlockElements;
        Span<double> sp = stackalloc double[block];
        double sum = 0.0;
        bool plain = weight.IsEmpty && posWeight.IsEmpty;
        for (int i0 = 0; i0 < logits.Length; i0 += block)
        {
            int n = Math.Min(block, logits.Length - i0);
            ReadOnlySpan<double> x = logits.Slice(i0, n);
            ReadOnlySpan<double> yb = y.Slice(i0, n);
            Span<double> s = sp[..n];
            // softplus(-x) = max(-x, 0) + ln(1 + exp(-|x|)), vectorised.
            VectorMath.OnePlusExpNegAbs(x, s);  // 1 + exp(-|x|), the hand-written vector exp
            TensorPrimitives.Log(s, s);
            int k = 0;
            if (plain && Vector.IsHardwareAccelerated)
            {
                // l = (1 - y) x + (max(-x, 0) + s) as below, Vector<double> wide; the scalar loop below takes the tail.
                var acc = Vector<double>.Zero;
                for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
                {
                    var xv = new Vector<double>(x[k..]);
                    var yv = new Vector<double>(yb[k..]);
                    var l = (Vector<double>.One - yv) * xv
                        + (Vector.Max(-xv, Vector<double>.Zero) + new Vector<double>(s[k..]));
                    if (!losses.IsEmpty)
                    {
                        l.CopyTo(losses[(i0 + k)..]);
                    }

                    acc += l;
                }

                sum += Vector.Sum(acc);
            }

            for (; k < n; k++)
            {
                double xk = x[k];
                double yk = yb[k];
                double softplus = Math.Max(-xk, 0.0) + s[k];
                double l;
                if (plain)
                {
                    l = (1.0 - yk) * xk + softplus;
                }
                else
                {
                    int c = (i0 + k) % classes;
                    double w = weight.IsEmpty ? 1.0 : weight[c];
                    double pw = posWeight.IsEmpty ? 1.0 : posWeight[c];
                    l = w * ((1.0 - yk) * xk + (1.0 + (pw - 1.0) * yk) * softplus);
                }

                if (!losses.IsEmpty)
                {
                    losses[i0 + k] = l;
                }

                sum += l;
            }
        }

        return sum;
    }
}
