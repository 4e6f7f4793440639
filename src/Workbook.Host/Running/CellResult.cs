using Workbook.Host.Execution;
using Workbook.Host.Notebooks;

namespace Workbook.Host.Running;

/// <summary>What happened to one code cell of a notebook run.</summary>
/// <param name="CellIndex">Index among all cells of the notebook (markdown included), 0-based.</param>
/// <param name="CodeCellNumber">1-based number among the code cells, as a reader counts them.</param>
/// <param name="Source">The cell's source.</param>
/// <param name="Outputs">Everything the cell produced, in order.</param>
/// <param name="Succeeded">False when the cell threw, failed to compile, or timed out.</param>
/// <param name="Elapsed">Wall-clock time of the cell.</param>
public sealed record CellResult(
    int CellIndex,
    int CodeCellNumber,
    string Source,
    IReadOnlyList<CellOutput> Outputs,
    bool Succeeded,
    TimeSpan Elapsed)
{
    /// <summary>The first non-blank line of the source, for messages (<see cref="TextLines.FirstLine"/>).</summary>
    public string FirstLine => TextLines.FirstLine(Source);

    /// <summary>The error output of a failed cell, if any.</summary>
    public ErrorOutput? Error => Outputs.OfType<ErrorOutput>().FirstOrDefault();
}

/// <summary>The result of running one notebook.</summary>
/// <param name="NotebookPath">The source notebook.</param>
/// <param name="Cells">One result per executed code cell, in order; cells after a failure are not run.</param>
/// <param name="TotalCodeCells">How many code cells the notebook has.</param>
/// <param name="Executed">The notebook with outputs, ready to write.</param>
/// <param name="Elapsed">Wall-clock time of the run, kernel start included.</param>
public sealed record NotebookResult(
    string NotebookPath,
    IReadOnlyList<CellResult> Cells,
    int TotalCodeCells,
    IpynbDocument Executed,
    TimeSpan Elapsed)
{
    /// <summary>True when every code cell ran without error.</summary>
    public bool Succeeded => Cells.All(c => c.Succeeded) && Cells.Count == TotalCodeCells;

    /// <summary>How many static chart images could not be drawn (no chromium), and why; (0, null) when none.</summary>
    public (int Count, string? Reason) ChartImagesSkipped { get; init; }

    /// <summary>The first failing cell, or null.</summary>
    public CellResult? FirstFailure => Cells.FirstOrDefault(c => !c.Succeeded);

    /// <summary>A one-line description of the failure: notebook, cell number, the cell's first line, the error.</summary>
    public string? FailureSummary => FirstFailure is { } f
        ? $"{Path.GetFileName(NotebookPath)}: cell {f.CodeCellNumber} (`{f.FirstLine}`) failed: " +
          $"{f.Error?.Name}: {TextLines.FirstLine(f.Error?.Message)}"
        : null;
}
