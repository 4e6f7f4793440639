namespace Workbook.Core;

/// <summary>Classification losses with PyTorch semantics (torch.nn.functional): cross-entropy from logits, NLL,
/// categorical cross-entropy on probabilities, binary cross-entropy on probabilities and from logits, each with
/// its analytic gradient. float64 throughout; span in, span out, with array and MathNet conveniences.</summary>
/// <remarks>Batches are row-major spans of rows * classes values. Every public entry validates its arguments and
/// throws an <see cref="ArgumentException"/> naming the argument and the problem; the cores are unchecked.
/// Gradients are of the reduced (Mean or Sum) loss with respect to the input, as torch autograd gives them.</remarks>
public static partial class Losses
{
    /// <summary>PyTorch's default <c>ignore_index</c>: a target equal to it contributes nothing.</summary>
    public const int DefaultIgnoreIndex = -100;

    private static double Reduce(double sum, double denominator, Reduction reduction) =>
        reduction == Reduction.Mean ? sum / denominator : sum;
}
