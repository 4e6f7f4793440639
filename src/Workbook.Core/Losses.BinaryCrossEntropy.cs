namespace Workbook.Core;

public static partial class Losses
{
    /// <summary>PyTorch's clamp on each log term of <see cref="BinaryCrossEntropy(ReadOnlySpan{double}, ReadOnlySpan{double}, Reduction, ReadOnlySpan{double})"/>:
    /// max(ln p, -100). A confidently wrong prediction (p = 0, y = 1) therefore costs 100, not +inf.</summary>
    public const double BceLogClamp = -100.0;

    /// <summary>PyTorch's floor on p(1-p) in the BCE gradient: float32(1e-12) = 9.999999960041972e-13.</summary>
    public const double BceGradientFloor = 9.999999960041972e-13;

    /// <summary>Binary cross-entropy on probabilities (torch.nn.functional.binary_cross_entropy), reduced:
    /// l_i = -w_i (y_i max(ln p_i, -100) + (1 - y_i) max(ln(1 - p_i), -100)); Mean = sum_i l_i / n (even with
    /// weights), Sum = sum_i l_i.</summary>
    /// <param name="p">Predicted probabilities in [0, 1].</param>
    /// <param name="y">Targets in [0, 1] (usually 0 or 1), the same length.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional per-element weights (same length as p, finite, &gt;= 0).</param>
    /// <remarks>A visible convention, PyTorch's: each log term is clamped at <see cref="BceLogClamp"/> = -100, so
    /// the loss is finite (at most 100 w_i per element) and 0 log 0 terms are 0; p = 1, y = 1 gives -0.0. Like
    /// PyTorch it uses ln(1 - p), not log1p(-p), so p below about 1e-17 with y = 0 gives 0.</remarks>
    /// <exception cref="ArgumentException">Empty input, lengths differ, p or y NaN or outside [0, 1], bad weights,
    /// or reduction None.</exception>
    public static double BinaryCrossEntropy(ReadOnlySpan<double> p, ReadOnlySpan<double> y,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default)
    {
        CheckBceArgs(p, y, weight);
        Validate.ScalarReduction(reduction);
        double sum = 0.0;
        for (int i = 0; i < p.Length; i++)
        {
            sum += BceTerm(p[i], y[i], weight.IsEmpty ? 1.0 : weight[i]);
        }

        return Reduce(sum, p.Length, reduction);
    }

    /// <summary>Binary cross-entropy of one prediction: -(y max(ln p, -100) + (1 - y) max(ln(1 - p), -100)).</summary>
    /// <param name="p">Predicted probability in [0, 1].</param>
    /// <param name="y">Target in [0, 1].</param>
    /// <remarks>Clamped as the span overload: p = 0 with y = 1 gives 100.</remarks>
    /// <exception cref="ArgumentException">p or y NaN or outside [0, 1].</exception>
    public static double BinaryCrossEntropy(double p, double y)
    {
        ReadOnlySpan<double> ps = [p];
        ReadOnlySpan<double> ys = [y];
        return BinaryCrossEntropy(ps, ys, Reduction.Sum);
    }

    /// <summary>Per-element binary cross-entropy (reduction "none"): losses[i] = l_i.</summary>
    /// <param name="p">Predicted probabilities.</param>
    /// <param name="y">Targets.</param>
    /// <param name="losses">One loss per element.</param>
    /// <param name="weight">Optional per-element weights.</param>
    /// <remarks>Clamped at -100 per log term (see <see cref="BceLogClamp"/>).</remarks>
    /// <exception cref="ArgumentException">As the reduced overload, or losses has the wrong length.</exception>
    public static void BinaryCrossEntropyPerElement(ReadOnlySpan<double> p, ReadOnlySpan<double> y,
        Span<double> losses, ReadOnlySpan<double> weight = default)
    {
        CheckBceArgs(p, y, weight);
        Validate.SameLength(p.Length, losses.Length, nameof(losses), nameof(p));
        for (int i = 0; i < p.Length; i++)
        {
            losses[i] = BceTerm(p[i], y[i], weight.IsEmpty ? 1.0 : weight[i]);
        }
    }

    /// <summary>Gradient of the reduced binary cross-entropy with respect to p, as torch autograd gives it:
    /// g_i = w_i (p_i - y_i) / max(p_i (1 - p_i), 9.999999960041972e-13) / D, D = n (Mean) or 1 (Sum).</summary>
    /// <param name="p">Predicted probabilities.</param>
    /// <param name="y">Targets.</param>
    /// <param name="gradient">Receives d loss / d p.</param>
    /// <param name="reduction">Mean or Sum.</param>
    /// <param name="weight">Optional per-element weights.</param>
    /// <remarks>PyTorch's convention (<see cref="BceGradientFloor"/>): at p = 0 with y = 1 the gradient is about
    /// -1e12 / n, although the clamped forward is flat there; for p &lt; 1e-12 it shrinks (p = 1e-20, y = 0 gives
    /// 1e-8 / n, not 1 / n). Always finite.</remarks>
    /// <exception cref="ArgumentException">As the loss, or gradient has the wrong length.</exception>
    public static void BinaryCrossEntropyGradient(ReadOnlySpan<double> p, ReadOnlySpan<double> y,
        Span<double> gradient, Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default)
    {
        CheckBceArgs(p, y, weight);
        Validate.ScalarReduction(reduction);
        Validate.SameLength(p.Length, gradient.Length, nameof(gradient), nameof(p));
        double d = reduction == Reduction.Mean ? p.Length : 1.0;
        for (int i = 0; i < p.Length; i++)
        {
            double pi = p[i];
            double w = weight.IsEmpty ? 1.0 : weight[i];
            gradient[i] = w * (pi - y[i]) / Math.Max(pi * (1.0 - pi), BceGradientFloor) / d;
        }
    }

    private static double BceTerm(double p, double y, double w) =>
        -w * (y * Math.Max(Math.Log(p), BceLogClamp) + (1.0 - y) * Math.Max(Math.Log(1.0 - p), BceLogClamp));

    private static void CheckBceArgs(ReadOnlySpan<double> p, ReadOnlySpan<double> y, ReadOnlySpan<double> weight)
    {
        Validate.NotEmpty(p.Length, nameof(p));
        Validate.SameLength(p.Length, y.Length, nameof(y), nameof(p));
        Validate.UnitInterval(p, nameof(p));
        Validate.UnitInterval(y, nameof(y));
        if (!weight.IsEmpty)
        {
            Validate.SameLength(p.Length, weight.Length, nameof(weight), nameof(p));
            Validate.NonNegativeFinite(weight, nameof(weight));
        }
    }
}
