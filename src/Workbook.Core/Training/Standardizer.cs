namespace Workbook.Core.Training;

/// <summary>Feature standardisation: x'_d = (x_d - mean_d) / sd_d, with the mean and standard deviation of each
/// feature measured on the training data only (so held-out data is scaled without being looked at).</summary>
/// <remarks>A feature that is constant on the training data (sd = 0; the corner pixels of the digits) is only
/// centred: its scale is taken as 1, so it maps to 0 and never divides by zero.</remarks>
public sealed class Standardizer
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    private Standardizer(double[] mean, double[] scale)
    {
        _mean = mean;
        _scale = scale;
    }

    /// <summary>Per-feature means measured by <see cref="Fit"/>.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Per-feature population standard deviations (1 for a constant feature).</summary>
    public IReadOnlyList<double> Scale => _scale;

    /// <summary>Measures the mean and standard deviation (divide by N) of every feature of <paramref name="train"/>.</summary>
    /// <exception cref="ArgumentException">train is empty.</exception>
    public static Standardizer Fit(LabelledData train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException("train is empty, expected at least one example", nameof(train));
        }

        int dims = train.Dimensions;
        var mean = new double[dims];
        var scale = new double[dims];
        for (int n = 0; n < train.Count; n++)
        {
            for (int d = 0; d < dims; d++)
            {
                mean[d] += train.Features[n * dims + d];
            }
        }

        for (int d = 0; d < dims; d++)
        {
            mean[d] /= train.Count;
        }

        for (int n = 0; n < train.Count; n++)
        {
            for (int d = 0; d < dims; d++)
            {
                double e = train.Features[n * dims + d] - mean[d];
                scale[d] += e * e;
            }
        }

        for (int d = 0; d < dims; d++)
        {
            double sd = Math.Sqrt(scale[d] / train.Count);
            scale[d] = sd > 0 ? sd : 1.0;
        }

        return new Standardizer(mean, scale);
    }

    /// <summary>The standardised copy of <paramref name="data"/> (labels shared, features new).</summary>
    /// <exception cref="ArgumentException">data has a different number of features than the fitted data.</exception>
    public LabelledData Transform(LabelledData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Dimensions != _mean.Length)
        {
            throw new ArgumentException($"data has {data.Dimensions} features per example, the standardizer was fitted on {_mean.Length}", nameof(data));
        }

        var features = new double[data.Features.Length];
        for (int i = 0; i < features.Length; i++)
        {
            int d = i % _mean.Length;
            features[i] = (data.Features[i] - _mean[d]) / _scale[d];
        }

        return data with { Features = features };
    }
}
