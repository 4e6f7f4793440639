namespace Workbook.Core.Training;

/// <summary>One epoch of training: mean cross-entropy (nats) and accuracy on the training and held-out data.</summary>
public sealed record EpochStats(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

/// <summary>Multinomial logistic (softmax) regression trained by full-batch gradient descent on the mean
/// cross-entropy: logits z = W x + b, loss = mean_n -log softmax(z_n)[y_n], gradient (softmax - y) x^T.</summary>
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
        int stride = Dimensions + 1;
        for (int n = 0; n < data.Count; n++)
        {
            for (int c = 0; c < Classes; c++)
            {
                double s = _w[c * stride + Dimensions];
                for (int d = 0; d < Dimensions; d++)
                {
                    s += _w[c * stride + d] * data.Features[n * Dimensions + d];
                }

                z[n * Classes + c] = s;
            }
        }

        return z;
    }

    /// <summary>Mean cross-entropy (nats) of the model on <paramref name="data"/>.</summary>
    public double Loss(LabelledData data) => Losses.CrossEntropy(Logits(data), Classes, data.Labels);

    /// <summary>Fraction of examples whose largest logit is the true class.</summary>
    public double Accuracy(LabelledData data)
    {
        var z = Logits(data);
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

    private EpochStats Stats(int epoch, LabelledData train, LabelledData test) =>
        new(epoch, Loss(train), Accuracy(train), Loss(test), Accuracy(test));

    private void Check(LabelledData data, string name)
    {
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
