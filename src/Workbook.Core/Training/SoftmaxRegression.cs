using System.Numerics.Tensors;
using Workbook.Core.Simulation;

namespace Workbook.Core.Training;

/// <summary>What a classifier is trained to minimise.</summary>
public enum TrainingObjective
{
    /// <summary>Mean cross-entropy of the labels under the model's softmax (maximum likelihood).</summary>
    CrossEntropy,

    /// <summary>Mean squared error between the softmax and the one-hot label (<see cref="Losses.SoftmaxSquaredError"/>).</summary>
    SquaredError,
}

/// <summary>Settings of seeded mini-batch gradient descent.</summary>
/// <param name="Epochs">Passes over the training data, at least 1.</param>
/// <param name="LearningRate">Step size, finite and &gt; 0.</param>
/// <param name="BatchSize">Examples per step, at least 1 (the last batch of an epoch may be smaller).</param>
/// <param name="Seed">Seed of the per-epoch shuffle (<see cref="Xoshiro256StarStar"/>): the same seed gives the same
/// weights bit for bit.</param>
/// <param name="LabelSmoothing">ε in [0, 1): train on (1-ε) one-hot + ε/C (cross-entropy objective only).</param>
/// <param name="Objective">The loss gradient descent follows.</param>
public sealed record TrainingOptions(int Epochs, double LearningRate, int BatchSize, ulong Seed,
    double LabelSmoothing = 0.0, TrainingObjective Objective = TrainingObjective.CrossEntropy)
{
    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentException($"Epochs is {Epochs}, expected at least 1", nameof(Epochs));
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentException($"LearningRate is {LearningRate}, expected a finite number > 0", nameof(LearningRate));
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"BatchSize is {BatchSize}, expected at least 1", nameof(BatchSize));
        }

        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
        {
            throw new ArgumentException($"LabelSmoothing is {LabelSmoothing}, expected a number in [0, 1)", nameof(LabelSmoothing));
        }

        if (LabelSmoothing > 0 && Objective != TrainingObjective.CrossEntropy)
        {
            throw new ArgumentException($"LabelSmoothing is {LabelSmoothing}, but it applies only to the CrossEntropy objective", nameof(LabelSmoothing));
        }

        if (!Enum.IsDefined(Objective))
        {
            throw new ArgumentException($"Objective is {(int)Objective}, expected CrossEntropy or SquaredError", nameof(Objective));
        }
    }
}

/// <summary>One epoch of training: mean cross-entropy (nats) and accuracy on the training and held-out data.</summary>
public sealed record EpochStats(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

/// <summary>Multinomial logistic (softmax) regression trained by gradient descent (full batch with
/// <see cref="Fit"/>, seeded mini-batches with <see cref="Train"/>) on the mean cross-entropy: logits z = W x + b, loss = mean_n -log softmax(z_n)[y_n], gradient (softmax - y) x^T.</summary>
/// <remarks>Weights start at zero, so training is deterministic. The loss and its gradient come from
/// <see cref="Losses.CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Reduction, ReadOnlySpan{double}, int, double)"/>
/// and <see cref="Losses.CrossEntropyGradient(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Span{double}, Reduction, ReadOnlySpan{double}, int, double)"/>.</remarks>
public sealed class SoftmaxRegression
{
    private readonly double[] _w;   // Classes x (Dimensions + 1), the last column is the bias

    /// <summary>An untrained model (all weights zero: every class equally likely).</summary>
    /// <exception cref="ArgumentException">dimensions &lt; 1 or classes &lt; 2.</exception>
    public SoftmaxRegression(int dimensions, int classes)
    {
        if (dimensions < 1)
        {
            throw new ArgumentException($"dimensions is {dimensions}, expected at least 1", nameof(dimensions));
        }

        if (classes < 2)
        {
            throw new ArgumentException($"classes is {classes}, expected at least 2", nameof(classes));
        }

        Dimensions = dimensions;
        Classes = classes;
        _w = new double[classes * (dimensions + 1)];
    }

    /// <summary>Features per example.</summary>
    public int Dimensions { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>The logits of every example, row-major (Count x Classes).</summary>
    public double[] Logits(LabelledData data)
    {
        Check(data, nameof(data));
        var z = new double[data.Count * Classes];
        LogitsCore(data.Features, data.Count, z);
        return z;
    }

    /// <summary>The model's class probabilities softmax(W x + b) for every example, row-major (Count x Classes).</summary>
    public double[] Probabilities(LabelledData data)
    {
        var z = Logits(data);
        SoftmaxFunctions.SoftmaxRows(z, Classes, z);
        return z;
    }

    /// <summary>The weights of class <paramref name="c"/>, one per feature (the row of W), for drawing.</summary>
    /// <exception cref="ArgumentOutOfRangeException">c is outside [0, Classes).</exception>
    public double[] ClassWeights(int c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(c, Classes);
        return _w.AsSpan(c * (Dimensions + 1), Dimensions).ToArray();
    }

    /// <summary>The bias b_c of class <paramref name="c"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">c is outside [0, Classes).</exception>
    public double Bias(int c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(c, Classes);
        return _w[c * (Dimensions + 1) + Dimensions];
    }

    /// <summary>Mean cross-entropy (nats) of the model on <paramref name="data"/>.</summary>
    public double Loss(LabelledData data) => Losses.CrossEntropy(Logits(data), Classes, data.Labels);

    /// <summary>Fraction of examples whose largest logit is the true class.</summary>
    public double Accuracy(LabelledData data) => AccuracyOf(Logits(data), data);

    private double AccuracyOf(double[] z, LabelledData data)
    {
        int correct = 0;
        for (int n = 0; n < data.Count; n++)
        {
            var row = z.AsSpan(n * Classes, Classes);
            int best = 0;
            for (int c = 1; c < Classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            correct += best == data.Labels[n] ? 1 : 0;
        }

        return (double)correct / data.Count;
    }

    /// <summary>Runs <paramref name="epochs"/> steps of gradient descent with <paramref name="learningRate"/> and
    /// returns the statistics before training (epoch 0) and after each step.</summary>
    /// <exception cref="ArgumentException">Bad epochs or learning rate, or data of the wrong shape.</exception>
    public IReadOnlyList<EpochStats> Fit(LabelledData train, LabelledData test, int epochs, double learningRate)
    {
        Check(train, nameof(train));
        Check(test, nameof(test));
        if (epochs < 1)
        {
            throw new ArgumentException($"epochs is {epochs}, expected at least 1", nameof(epochs));
        }

        if (!(learningRate > 0) || double.IsInfinity(learningRate))
        {
            throw new ArgumentException($"learningRate is {learningRate}, expected a finite number > 0", nameof(learningRate));
        }

        var history = new List<EpochStats> { Stats(0, train, test) };
        var gradZ = new double[train.Count * Classes];
        int stride = Dimensions + 1;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            Losses.CrossEntropyGradient(Logits(train), Classes, train.Labels, gradZ);   // (softmax - y) / N
            var gradW = new double[_w.Length];
            for (int n = 0; n < train.Count; n++)
            {
                for (int c = 0; c < Classes; c++)
                {
                    double g = gradZ[n * Classes + c];
                    for (int d = 0; d < Dimensions; d++)
                    {
                        gradW[c * stride + d] += g * train.Features[n * Dimensions + d];
                    }

                    gradW[c * stride + Dimensions] += g;
                }
            }

            for (int i = 0; i < _w.Length; i++)
            {
                _w[i] -= learningRate * gradW[i];
            }

            history.Add(Stats(epoch, train, test));
        }

        return history;
    }

    /// <summary>Seeded mini-batch gradient descent: each epoch shuffles the training examples
    /// (<see cref="TrainingOptions.Seed"/>), then steps once per batch of <see cref="TrainingOptions.BatchSize"/>
    /// along the gradient of the batch's mean objective (cross-entropy, optionally label-smoothed, from
    /// <see cref="Losses.CrossEntropyGradient(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Span{double}, Reduction, ReadOnlySpan{double}, int, double)"/>,
    /// or <see cref="Losses.SoftmaxSquaredErrorGradient"/>). Returns the statistics before training (epoch 0) and
    /// after every epoch.</summary>
    /// <param name="train">The examples to fit.</param>
    /// <param name="heldOut">Examples only scored, never fitted (the second pair of numbers in each
    /// <see cref="EpochStats"/>).</param>
    /// <param name="options">Epochs, step size, batch size, seed, smoothing and objective.</param>
    /// <remarks>The reported losses are always the plain cross-entropy (nats, no smoothing), whatever the objective,
    /// so models trained differently are compared on the same scale. Training continues from the current weights.</remarks>
    /// <exception cref="ArgumentException">A bad option (named), or data of the wrong shape.</exception>
    public IReadOnlyList<EpochStats> Train(LabelledData train, LabelledData heldOut, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(train, nameof(train));
        Check(heldOut, nameof(heldOut));
        options.Validate();
        var rng = new Xoshiro256StarStar(options.Seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        int batch = Math.Min(options.BatchSize, train.Count);
        int stride = Dimensions + 1;
        var x = new double[batch * Dimensions];
        var labels = new int[batch];
        var z = new double[batch * Classes];
        var gradZ = new double[batch * Classes];
        var gradW = new double[_w.Length];
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
                    Array.Copy(train.Features, n * Dimensions, x, k * Dimensions, Dimensions);
                    labels[k] = train.Labels[n];
                }

                LogitsCore(x.AsSpan(0, b * Dimensions), b, z);
                var zb = z.AsSpan(0, b * Classes);
                var gb = gradZ.AsSpan(0, b * Classes);
                if (options.Objective == TrainingObjective.CrossEntropy)
                {
                    Losses.CrossEntropyGradient(zb, Classes, labels.AsSpan(0, b), gb, labelSmoothing: options.LabelSmoothing);
                }
                else
                {
                    Losses.SoftmaxSquaredErrorGradient(zb, Classes, labels.AsSpan(0, b), gb);
                }

                Array.Clear(gradW);
                for (int k = 0; k < b; k++)
                {
                    for (int c = 0; c < Classes; c++)
                    {
                        double g = gradZ[k * Classes + c];
                        var row = gradW.AsSpan(c * stride, Dimensions);
                        TensorPrimitives.MultiplyAdd(x.AsSpan(k * Dimensions, Dimensions), g, row, row);
                        gradW[c * stride + Dimensions] += g;
                    }
                }

                TensorPrimitives.MultiplyAdd(gradW, -options.LearningRate, _w, _w);
            }

            history.Add(Stats(epoch, train, heldOut));
        }

        return history;
    }

    private void LogitsCore(ReadOnlySpan<double> x, int count, Span<double> z)
    {
        int stride = Dimensions + 1;
        for (int n = 0; n < count; n++)
        {
            var row = x.Slice(n * Dimensions, Dimensions);
            for (int c = 0; c < Classes; c++)
            {
                z[n * Classes + c] = _w[c * stride + Dimensions] +
                    TensorPrimitives.Dot(_w.AsSpan(c * stride, Dimensions), row);
            }
        }
    }

    private EpochStats Stats(int epoch, LabelledData train, LabelledData test)
    {
        var zTrain = Logits(train);
        var zTest = Logits(test);
        return new(epoch, Losses.CrossEntropy(zTrain, Classes, train.Labels), AccuracyOf(zTrain, train),
            Losses.CrossEntropy(zTest, Classes, test.Labels), AccuracyOf(zTest, test));
    }

    private void Check(LabelledData data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        if (data.Dimensions != Dimensions)
        {
            throw new ArgumentException($"{name} has {data.Dimensions} features per example, the model expects {Dimensions}", name);
        }

        if (data.Labels.Any(y => y < 0 || y >= Classes))
        {
            throw new ArgumentException($"{name} has a label outside [0, {Classes})", name);
        }
    }
}
