namespace Workbook.Core.Training;

/// <summary>Counts of a binary decision against the labels (1 = positive).</summary>
/// <param name="TruePositives">Positives predicted positive.</param>
/// <param name="FalsePositives">Negatives predicted positive (false alarms).</param>
/// <param name="TrueNegatives">Negatives predicted negative.</param>
/// <param name="FalseNegatives">Positives predicted negative (misses).</param>
public sealed record ConfusionCounts(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>Precision TP / (TP + FP): of the examples called positive, the fraction that are. 1 when nothing is
    /// called positive (no false alarm was raised; the convention that starts a precision–recall curve).</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Recall TP / (TP + FN): of the positives, the fraction found. 0 when there are no positives.</summary>
    public double Recall => TruePositives + FalseNegatives == 0 ? 0.0 : (double)TruePositives / (TruePositives + FalseNegatives);
}

/// <summary>One point of a precision–recall curve: calling positive every example with score &gt;= Threshold.</summary>
/// <param name="Threshold">The decision threshold (a score that occurs in the data).</param>
/// <param name="Precision">Precision at that threshold.</param>
/// <param name="Recall">Recall at that threshold.</param>
public sealed record PrecisionRecallPoint(double Threshold, double Precision, double Recall);

/// <summary>Precision, recall and the precision–recall curve of scores (probabilities or logits) for a binary
/// label.</summary>
public static class PrecisionRecall
{
    /// <summary>The confusion counts of predicting positive when score &gt;= <paramref name="threshold"/>.</summary>
    /// <param name="scores">One score per example, not NaN.</param>
    /// <param name="labels">0 or 1 per example.</param>
    /// <param name="threshold">The decision threshold, not NaN.</param>
    /// <exception cref="ArgumentException">Empty or different lengths, a NaN score or threshold, or a label other
    /// than 0 or 1.</exception>
    public static ConfusionCounts Confusion(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold)
    {
        Check(scores, labels);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentException("threshold is NaN, expected a number", nameof(threshold));
        }

        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool positive = scores[i] >= threshold;
            if (labels[i] == 1)
            {
                if (positive) { tp++; } else { fn++; }
            }
            else
            {
                if (positive) { fp++; } else { tn++; }
            }
        }

        return new ConfusionCounts(tp, fp, tn, fn);
    }

    /// <summary>The precision–recall curve: one point per distinct score, from the highest threshold (fewest
    /// examples called positive) to the lowest (all of them, recall 1).</summary>
    /// <param name="scores">One score per example, not NaN.</param>
    /// <param name="labels">0 or 1 per example, with at least one 1.</param>
    /// <remarks>Sorting once gives every point in O(n log n). Tied scores make one point, since no threshold separates
    /// them.</remarks>
    /// <exception cref="ArgumentException">As <see cref="Confusion"/>, or no positive label.</exception>
    public static PrecisionRecallPoint[] Curve(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        Check(scores, labels);
        int positives = 0;
        foreach (int l in labels)
        {
            positives += l;
        }

        if (positives == 0)
        {
            throw new ArgumentException("labels has no positive (1), so recall is undefined", nameof(labels));
        }

        var order = Enumerable.Range(0, scores.Length).ToArray();
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[b].CompareTo(s[a]));
        var points = new List<PrecisionRecallPoint>();
        int tp = 0, called = 0;
        for (int k = 0; k < order.Length; k++)
        {
            called++;
            tp += labels[order[k]];
            if (k == order.Length - 1 || s[order[k + 1]] != s[order[k]])
            {
                points.Add(new PrecisionRecallPoint(s[order[k]], (double)tp / called, (double)tp / positives));
            }
        }

        return points.ToArray();
    }

    /// <summary>Average precision: AP = sum_k (R_k - R_{k-1}) P_k over the curve's points (R_0 = 0), the area under
    /// the precision–recall step curve (scikit-learn's definition). 1 for scores that rank every positive first;
    /// the positive rate for scores that carry no information, on average.</summary>
    /// <exception cref="ArgumentException">The curve is empty.</exception>
    public static double AveragePrecision(IReadOnlyList<PrecisionRecallPoint> curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count == 0)
        {
            throw new ArgumentException("curve is empty, expected at least one point", nameof(curve));
        }

        double ap = 0, previous = 0;
        foreach (var p in curve)
        {
            ap += (p.Recall - previous) * p.Precision;
            previous = p.Recall;
        }

        return ap;
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        Validate.NotEmpty(scores.Length, nameof(scores));
        Validate.SameLength(scores.Length, labels.Length, nameof(labels), nameof(scores));
        Validate.NoNaN(scores, nameof(scores));
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
            {
                throw new ArgumentException($"labels[{i}] is {labels[i]}, expected 0 or 1", nameof(labels));
            }
        }
    }
}
