namespace Workbook.Core.Training;

/// <summary>One bin of a reliability diagram: the predictions whose confidence (largest probability) fell in
/// [Lower, Upper), their mean confidence and the fraction of them that were right.</summary>
/// <param name="Lower">Lower edge of the bin.</param>
/// <param name="Upper">Upper edge (the last bin also holds confidence 1).</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="MeanConfidence">Mean of their largest probability; NaN-free: 0 when the bin is empty.</param>
/// <param name="Accuracy">Fraction of them whose most probable class was the label; 0 when the bin is empty.</param>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

/// <summary>Calibration of a classifier: does a prediction made with confidence 0.8 turn out right 80% of the
/// time? Reliability diagrams, the expected calibration error, and temperature scaling.</summary>
public static class Calibration
{
    /// <summary>Reliability diagram bins: each example's confidence max_c q_c goes into one of
    /// <paramref name="bins"/> equal-width bins of [0, 1]; each bin reports its count, mean confidence and accuracy
    /// (argmax = label; ties go to the lowest class).</summary>
    /// <param name="probabilities">rows * classes probabilities, row-major (rows summing to 1).</param>
    /// <param name="classes">C, at least 2.</param>
    /// <param name="labels">One class index per row.</param>
    /// <param name="bins">Number of bins, 1 to 1000.</param>
    /// <remarks>A perfectly calibrated model has accuracy = mean confidence in every bin. Empty bins are kept (count
    /// 0, both means 0) so the bins always tile [0, 1].</remarks>
    /// <exception cref="ArgumentException">Probabilities not rows of C distributions, labels of the wrong length or
    /// out of range, or bins out of range.</exception>
    public static ReliabilityBin[] Reliability(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<int> labels, int bins = 10)
    {
        if (classes < 2)
        {
            throw new ArgumentException($"classes is {classes}, expected at least 2", nameof(classes));
        }

        int rows = Validate.Rows(probabilities.Length, classes, nameof(probabilities));
        Validate.DistributionRows(probabilities, classes, nameof(probabilities));
        Validate.SameLength(rows, labels.Length, nameof(labels), "the number of probability rows");
        Validate.Targets(labels, classes, Validate.NoIgnoreIndex, nameof(labels));
        if (bins < 1 || bins > 1000)
        {
            throw new ArgumentException($"bins is {bins}, expected 1..1000", nameof(bins));
        }

        var count = new int[bins];
        var confidence = new double[bins];
        var correct = new double[bins];
        for (int n = 0; n < rows; n++)
        {
            var row = probabilities.Slice(n * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            int b = Math.Min(bins - 1, (int)(row[best] * bins));
            count[b]++;
            confidence[b] += row[best];
            correct[b] += best == labels[n] ? 1 : 0;
        }

        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            result[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
                count[b] == 0 ? 0 : confidence[b] / count[b], count[b] == 0 ? 0 : correct[b] / count[b]);
        }

        return result;
    }

    /// <summary>Expected calibration error: ECE = sum_b (n_b / N) |accuracy_b - confidence_b|, the average gap
    /// between how sure the model is and how often it is right, weighted by how many predictions fall in each bin.</summary>
    /// <param name="bins">Bins from <see cref="Reliability"/>.</param>
    /// <remarks>In [0, 1]; 0 for a calibrated model. It depends on the number of bins, so compare ECEs with the same
    /// bins only.</remarks>
    /// <exception cref="ArgumentException">No bins, or every bin empty.</exception>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        long total = bins.Sum(b => (long)b.Count);
        if (total == 0)
        {
            throw new ArgumentException("bins holds no predictions, expected at least one", nameof(bins));
        }

        return bins.Sum(b => (double)b.Count / total * Math.Abs(b.Accuracy - b.MeanConfidence));
    }

    /// <summary>The expected calibration error of <paramref name="probabilities"/> with <paramref name="bins"/>
    /// equal-width bins (see <see cref="Reliability"/>).</summary>
    /// <exception cref="ArgumentException">As <see cref="Reliability"/>.</exception>
    public static double ExpectedCalibrationError(ReadOnlySpan<double> probabilities, int classes,
        ReadOnlySpan<int> labels, int bins = 10) =>
        ExpectedCalibrationError(Reliability(probabilities, classes, labels, bins));

    /// <summary>Temperature scaling: the T &gt; 0 that minimises the mean cross-entropy of softmax(z / T) on
    /// held-out logits, found by golden-section search on log T over [<paramref name="minTemperature"/>,
    /// <paramref name="maxTemperature"/>].</summary>
    /// <param name="logits">rows * classes held-out logits (not the training data's: there the fitted model is
    /// over-confident by construction).</param>
    /// <param name="classes">C, at least 2.</param>
    /// <param name="labels">One class index per row.</param>
    /// <param name="minTemperature">Lower end of the search, &gt; 0.</param>
    /// <param name="maxTemperature">Upper end, &gt; minTemperature.</param>
    /// <remarks>CE(β z) = mean_n (logsumexp(β z_n) - β z_{n,y_n}) is convex in β = 1/T, so it is unimodal in
    /// log T and golden-section search finds its minimum (to a relative 1e-9 in T). If the minimum lies at an end
    /// of the range (a model that is right on every held-out example wants T → 0), that end is returned.
    /// Scaling by T changes no argmax, so accuracy is unchanged; only the confidences move.</remarks>
    /// <exception cref="ArgumentException">Bad logits or labels (as <see cref="Losses.CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Reduction, ReadOnlySpan{double}, int, double)"/>),
    /// or a bad range.</exception>
    public static double FitTemperature(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> labels,
        double minTemperature = 0.05, double maxTemperature = 20.0)
    {
        if (classes < 2)
        {
            throw new ArgumentException($"classes is {classes}, expected at least 2", nameof(classes));
        }

        if (!(minTemperature > 0) || double.IsInfinity(minTemperature))
        {
            throw new ArgumentException($"minTemperature is {minTemperature}, expected a finite number > 0", nameof(minTemperature));
        }

        if (!(maxTemperature > minTemperature) || double.IsInfinity(maxTemperature))
        {
            throw new ArgumentException($"maxTemperature is {maxTemperature}, expected a finite number > minTemperature ({minTemperature})", nameof(maxTemperature));
        }

        Losses.CrossEntropy(logits, classes, labels);   // validates shape, labels and logits
        var z = logits.ToArray();
        var labelArray = labels.ToArray();
        var scaled = new double[z.Length];
        double Loss(double logT)
        {
            double inv = Math.Exp(-logT);
            for (int i = 0; i < z.Length; i++)
            {
                scaled[i] = z[i] * inv;
            }

            return Losses.CrossEntropy(scaled, classes, labelArray);
        }

        double phi = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Log(minTemperature), b = Math.Log(maxTemperature);
        double c = b - phi * (b - a), d = a + phi * (b - a);
        double fc = Loss(c), fd = Loss(d);
        while (b - a > 1e-9)
        {
            if (fc <= fd)
            {
                b = d; d = c; fd = fc;
                c = b - phi * (b - a); fc = Loss(c);
            }
            else
            {
                a = c; c = d; fc = fd;
                d = a + phi * (b - a); fd = Loss(d);
            }
        }

        double best = (a + b) / 2;
        double fBest = Loss(best);
        double lo = Math.Log(minTemperature), hi = Math.Log(maxTemperature);
        if (Loss(lo) < fBest)
        {
            best = lo;
            fBest = Loss(lo);
        }

        if (Loss(hi) < fBest)
        {
            best = hi;
        }

        return Math.Exp(best);
    }

    /// <summary>The logits divided by <paramref name="temperature"/> (a new array), for scoring a scaled model.</summary>
    /// <exception cref="ArgumentException">temperature not finite and &gt; 0.</exception>
    public static double[] Scale(ReadOnlySpan<double> logits, double temperature)
    {
        Validate.Temperature(temperature);
        var result = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++)
        {
            result[i] = logits[i] / temperature;
        }

        return result;
    }
}
