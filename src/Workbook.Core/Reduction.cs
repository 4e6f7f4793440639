namespace Workbook.Core;

/// <summary>How a batch loss turns per-example losses l_n into its result, as PyTorch's <c>reduction</c>.</summary>
public enum Reduction
{
    /// <summary>No reduction: one loss per example (or per element for the binary losses).</summary>
    None,

    /// <summary>The (weighted) mean. Each loss documents its denominator; for class-index targets with class
    /// weights it is sum_n w[y_n] over non-ignored rows, as in PyTorch.</summary>
    Mean,

    /// <summary>The sum of the per-example losses.</summary>
    Sum,
}
