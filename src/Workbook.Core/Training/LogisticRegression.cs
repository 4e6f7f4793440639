using Workbook.Core.Simulation;

namespace Workbook.Core.Training;

/// <summary>Settings of seeded mini-batch gradient descent for <see cref="LogisticRegression"/>.</summary>
/// <param name="Epochs">Passes over the training data, at least 1.</param>
/// <param name="LearningRate">Step size, finite and &gt; 0.</param>
/// <param name="BatchSize">Examples per step, at least 1.</param>
/// <param name="Seed">Seed of the per-epoch shuffle.</param>
/// <param name="PositiveWeight">pos_weight w₊ &gt; 0: the loss of each positive (label 1) example is multiplied by
/// it (1 = unweighted; negatives / positives balances the classes).</param>
public sealed record BinaryTrainingOptions(int Epochs, double LearningRate, int BatchSize, ulong Seed,
    double PositiveWeight = 1.0)
{
    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        new TrainingOptions(Epochs, LearningRate, BatchSize, Seed).Validate();
        if (!(PositiveWeight > 0) || double.IsInfinity(PositiveWeight))
        {
            throw new ArgumentException($"PositiveWeight is {PositiveWeight}, expected a finite number > 0", nameof(PositiveWeight));
        }
    }
}

/// <summary>Binary logistic regression: one logit x = w·f + b per example, P(y = 1) = sigmoid(x), trained by seeded
/// mini-batch gradient descent on binary cross-entropy with logits
/// (<see cref="Losses.BinaryCrossEntropyWithLogits(ReadOnlySpan{double}, ReadOnlySpan{double}, Reduction, ReadOnlySpan{double}, ReadOnlySpan{double})"/>),
/// optionally with pos_weight.</summary>
/// <remarks>Weights start at zero (every example at probability 1/2). Labels are the class indices 0 and 1 of a
/// two-class <see cref="LabelledData"/>; 1 is the positive class.</remarks>
public sealed class LogisticRegression
{
    private readonly double[] _w;   // Dimensions weights, then the bias

    /// <summary>An untrained model (all weights zero).</summary>
    /// <exception cref="ArgumentException">dimensions &lt; 1.</exception>
    public LogisticRegression(int dimensions)
    {
        if (dimensions < 1)
        {
            throw new ArgumentException($"dimensions is {dimensions}, expected at least 1", nameof(dimensions));
        }

        Dimensions = dimensions;
        _w = new double[dimensions + 1];
    }

    /// <summary>Features per example.</summary>
    public int Dimensions { get; }

    /// <summary>The weight of each feature.</summary>
    public double[] Weights => _w[..Dimensions];

    /// <summary>The bias b.</summary>
    public double Bias => _w[Dimensions];

    /// <summary>The logit of every example.</summary>
    /// <exception cref="ArgumentException">data has the wrong number of features or is not two-class.</exception>
    public double[] Logits(LabelledData data)
    {
        Check(data, nameof(data));
        var x = new double[data.Count];
        for (int n = 0; n < data.Count; n++)
        {
            x[n] = Logit(data.Features.AsSpan(n * Dimensions, Dimensions));
        }

        return x;
    }

    /// <summary>P(y = 1) = sigmoid(logit) for every example, computed without overflow.</summary>
    public double[] Probabilities(LabelledData data) => Logits(data).Select(Sigmoid).ToArray();

    /// <summary>Mean binary cross-entropy (nats, unweighted) on <paramref name="data"/>.</summary>
    public double Loss(LabelledData data) => Losses.BinaryCrossEntropyWithLogits(Logits(data), Targets(data));

    /// <summary>Fraction of examples on the right side of probability 1/2 (logit 0 counts as positive).</summary>
    public double Accuracy(LabelledData data)
    {
        var x = Logits(data);
        int right = 0;
        for (int n = 0; n < x.Length; n++)
        {
            right += (x[n] >= 0 ? 1 : 0) == data.Labels[n] ? 1 : 0;
        }

        return (double)right / x.Length;
    }

    /// <summary>Seeded mini-batch gradient descent on the batch mean of
    /// w₊ y softplus(-x) + (1 - y) softplus(x) (the pos_weight form of BCE with logits), with its gradient from
    /// <see cref="Losses.BinaryCrossEntropyWithLogitsGradient"/>. Returns the unweighted mean BCE and accuracy
    /// before training (epoch 0) and after every epoch.</summary>
    /// <exception cref="ArgumentException">A bad option (named), or data of the wrong shape.</exception>
    public IReadOnlyList<EpochStats> Train(LabelledData train, LabelledData heldOut, BinaryTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(train, nameof(train));
        Check(heldOut, nameof(heldOut));
        options.Validate();
        var rng = new Xoshiro256StarStar(options.Seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        int batch = Math.Min(options.BatchSize, train.Count);
        var x = new double[batch];
        var y = new double[batch];
        var g = new double[batch];
        var gradW = new double[_w.Length];
        double[] posWeight = [options.PositiveWeight];
        var history = new List<EpochStats> { Stats(0, train, heldOut) };
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            Splits.Shuffle(order, ref rng);
            for (int start = 0; start < train.Count; start += batch)
            {
                int b = Math.Min(batch, train.Count - start);
                for (int k = 0; k < b; k++)
                {
                    int n = order[start + k];
                    x[k] = Logit(train.Features.AsSpan(n * Dimensions, Dimensions));
                    y[k] = train.Labels[n];
                }

                Losses.BinaryCrossEntropyWithLogitsGradient(x.AsSpan(0, b), y.AsSpan(0, b), g.AsSpan(0, b),
                    posWeight: posWeight);
                Array.Clear(gradW);
                for (int k = 0; k < b; k++)
                {
                    int n = order[start + k];
                    for (int d = 0; d < Dimensions; d++)
                    {
                        gradW[d] += g[k] * train.Features[n * Dimensions + d];
                    }

                    gradW[Dimensions] += g[k];
                }

                for (int i = 0; i < _w.Length; i++)
                {
                    _w[i] -= options.LearningRate * gradW[i];
                }
            }

            history.Add(Stats(epoch, train, heldOut));
        }

        return history;
    }

    private static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));

    private static double[] Targets(LabelledData data) => data.Labels.Select(l => (double)l).ToArray();

    private double Logit(ReadOnlySpan<double> f)
    {
        double s = _w[Dimensions];
        for (int d = 0; d < Dimensions; d++)
        {
            s += _w[d] * f[d];
        }

        return s;
    }

    private EpochStats Stats(int epoch, LabelledData train, LabelledData heldOut) =>
        new(epoch, Loss(train), Accuracy(train), Loss(heldOut), Accuracy(heldOut));

    private void Check(LabelledData data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        if (data.Dimensions != Dimensions)
        {
            throw new ArgumentException($"{name} has {data.Dimensions} features per example, the model expects {Dimensions}", name);
        }

        if (data.Classes != 2 || data.Labels.Any(l => l is not (0 or 1)))
        {
            throw new ArgumentException($"{name} has {data.Classes} classes, expected two (labels 0 and 1)", name);
        }
    }
}
