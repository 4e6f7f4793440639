using Workbook.Core.Training;

namespace Workbook.Core.Tests.Training;

public class SoftmaxRegressionTests
{
    private static LabelledData Data() =>
        Datasets.GaussianBlobs(7UL, 60, [(0.0, 0.0), (3.0, 0.0), (0.0, 3.0)], 0.6);

    [Fact]
    public void An_untrained_model_predicts_uniformly_and_pays_log_C()
    {
        var model = new SoftmaxRegression(2, 3);
        Assert.Equal(Math.Log(3), model.Loss(Data()), 12);
    }

    [Fact]
    public void Gradient_descent_lowers_the_loss_and_separates_well_separated_blobs()
    {
        var (train, test) = Data().Split(120);
        var model = new SoftmaxRegression(2, 3);
        var history = model.Fit(train, test, epochs: 200, learningRate: 0.5);

        Assert.True(history[^1].TrainLoss < 0.5 * history[0].TrainLoss);
        for (int i = 1; i < history.Count; i++)
        {
            Assert.True(history[i].TrainLoss <= history[i - 1].TrainLoss + 1e-12, $"loss rose at epoch {i}");
        }

        Assert.True(history[^1].TestAccuracy > 0.9, $"test accuracy {history[^1].TestAccuracy}");
    }

    [Fact]
    public void A_small_step_along_the_negative_gradient_lowers_the_loss()
    {
        var data = Data();
        var a = new SoftmaxRegression(2, 3);
        a.Fit(data, data, epochs: 3, learningRate: 0.3);
        double before = a.Loss(data);
        var history = a.Fit(data, data, epochs: 1, learningRate: 1e-4);
        Assert.True(history[^1].TrainLoss < before);
    }

    [Fact]
    public void Data_with_the_wrong_number_of_features_is_rejected()
    {
        var model = new SoftmaxRegression(3, 3);
        var e = Assert.Throws<ArgumentException>(() => model.Loss(Data()));
        Assert.Equal("data", e.ParamName);
    }

    private static DataSplit DigitSplit()
    {
        var digits = Datasets.ReadDigits(RepoPaths.Data("digits", "digits.csv.gz"));
        var split = Splits.Stratified(digits, 0.2, 0.2, seed: 1);
        var scaler = Standardizer.Fit(split.Train);
        return new DataSplit(scaler.Transform(split.Train), scaler.Transform(split.Validation), scaler.Transform(split.Test));
    }

    [Fact]
    public void Mini_batch_training_on_the_digits_reaches_high_held_out_accuracy()
    {
        var split = DigitSplit();
        var model = new SoftmaxRegression(64, 10);
        var history = model.Train(split.Train, split.Test, new TrainingOptions(20, 0.05, 32, Seed: 3));
        Assert.Equal(21, history.Count);
        Assert.Equal(Math.Log(10), history[0].TrainLoss, 12);
        Assert.True(history[^1].TestAccuracy > 0.93, $"test accuracy {history[^1].TestAccuracy}");
        Assert.True(history[^1].TrainLoss < 0.2, $"train loss {history[^1].TrainLoss}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_bit_for_bit_and_another_seed_other_weights()
    {
        var split = DigitSplit();
        double[] Weights(ulong seed)
        {
            var m = new SoftmaxRegression(64, 10);
            m.Train(split.Train, split.Test, new TrainingOptions(2, 0.05, 16, seed));
            return m.ClassWeights(3);
        }

        Assert.Equal(Weights(9), Weights(9));
        Assert.NotEqual(Weights(9), Weights(10));
    }

    [Fact]
    public void One_full_batch_step_of_Train_equals_one_step_of_Fit()
    {
        var data = Data();
        var a = new SoftmaxRegression(2, 3);
        var b = new SoftmaxRegression(2, 3);
        a.Fit(data, data, 1, 0.3);
        b.Train(data, data, new TrainingOptions(1, 0.3, data.Count, Seed: 1));
        for (int c = 0; c < 3; c++)
        {
            var wa = a.ClassWeights(c);
            var wb = b.ClassWeights(c);
            for (int d = 0; d < 2; d++)
            {
                Assert.Equal(wa[d], wb[d], 12);   // the shuffle only reorders the sum
            }

            Assert.Equal(a.Bias(c), b.Bias(c), 12);
        }
    }

    [Fact]
    public void Label_smoothing_keeps_the_model_from_driving_the_training_loss_to_0()
    {
        var split = DigitSplit();
        var plain = new SoftmaxRegression(64, 10);
        var smooth = new SoftmaxRegression(64, 10);
        var hp = plain.Train(split.Train, split.Test, new TrainingOptions(30, 0.1, 32, 3));
        var hs = smooth.Train(split.Train, split.Test, new TrainingOptions(30, 0.1, 32, 3, LabelSmoothing: 0.2));
        double MeanConfidence(SoftmaxRegression m) =>
            m.Probabilities(split.Train).Chunk(10).Average(row => row.Max());
        double plainConfidence = MeanConfidence(plain), smoothConfidence = MeanConfidence(smooth);
        Assert.True(hs[^1].TrainLoss > hp[^1].TrainLoss);
        // The smoothed target puts 1 - eps + eps/C = 0.82 on the label: on average the model is no surer than that.
        Assert.True(smoothConfidence < 0.82, $"{smoothConfidence}");
        Assert.True(plainConfidence > 0.9, $"{plainConfidence}");
    }

    [Fact]
    public void Squared_error_training_also_learns_but_is_slower_than_cross_entropy_from_the_same_start()
    {
        var split = DigitSplit();
        var ce = new SoftmaxRegression(64, 10).Train(split.Train, split.Test, new TrainingOptions(5, 0.05, 32, 3));
        var se = new SoftmaxRegression(64, 10).Train(split.Train, split.Test,
            new TrainingOptions(5, 0.05, 32, 3, Objective: TrainingObjective.SquaredError));
        Assert.True(se[^1].TrainLoss < se[0].TrainLoss);
        Assert.True(ce[^1].TrainLoss < se[^1].TrainLoss, $"CE {ce[^1].TrainLoss}, SE {se[^1].TrainLoss}");
    }

    [Fact]
    public void Probabilities_are_the_softmax_of_the_logits()
    {
        var data = Data();
        var model = new SoftmaxRegression(2, 3);
        model.Fit(data, data, 5, 0.5);
        var z = model.Logits(data);
        var q = model.Probabilities(data);
        var expected = SoftmaxFunctions.Softmax(z[..3]);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(expected[c], q[c], 15);
        }
    }

    [Theory]
    [InlineData(0, 0.1, 8, 0.0, "Epochs")]
    [InlineData(1, 0.0, 8, 0.0, "LearningRate")]
    [InlineData(1, double.PositiveInfinity, 8, 0.0, "LearningRate")]
    [InlineData(1, 0.1, 0, 0.0, "BatchSize")]
    [InlineData(1, 0.1, 8, 1.0, "LabelSmoothing")]
    [InlineData(1, 0.1, 8, double.NaN, "LabelSmoothing")]
    public void Bad_training_options_are_refused_naming_the_option(int epochs, double rate, int batch, double eps, string name)
    {
        var data = Data();
        var e = Assert.Throws<ArgumentException>(() =>
            new SoftmaxRegression(2, 3).Train(data, data, new TrainingOptions(epochs, rate, batch, 1, eps)));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Label_smoothing_with_squared_error_is_refused()
    {
        var data = Data();
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxRegression(2, 3).Train(data, data,
            new TrainingOptions(1, 0.1, 8, 1, 0.1, TrainingObjective.SquaredError)));
        Assert.Equal("LabelSmoothing", e.ParamName);
    }
}
