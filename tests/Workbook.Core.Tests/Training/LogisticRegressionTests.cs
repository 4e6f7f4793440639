using Workbook.Core.Training;

namespace Workbook.Core.Tests.Training;

public class LogisticRegressionTests
{
    private static DataSplit CancerSplit()
    {
        var data = Datasets.ReadBreastCancer(RepoPaths.Data("breast-cancer", "breast_cancer.csv"));
        var split = Splits.Stratified(data, 0.2, 0.2, seed: 2);
        var scaler = Standardizer.Fit(split.Train);
        return new DataSplit(scaler.Transform(split.Train), scaler.Transform(split.Validation), scaler.Transform(split.Test));
    }

    [Fact]
    public void An_untrained_model_pays_ln_2_and_training_separates_the_classes()
    {
        var split = CancerSplit();
        var model = new LogisticRegression(30);
        var history = model.Train(split.Train, split.Test, new BinaryTrainingOptions(30, 0.1, 32, 4));
        Assert.Equal(Math.Log(2), history[0].TrainLoss, 12);
        Assert.True(history[^1].TestAccuracy > 0.93, $"{history[^1].TestAccuracy}");
    }

    [Fact]
    public void A_larger_pos_weight_raises_recall_and_does_not_raise_precision()
    {
        var split = CancerSplit();
        ConfusionCounts Counts(double w)
        {
            var m = new LogisticRegression(30);
            m.Train(split.Train, split.Test, new BinaryTrainingOptions(3, 0.02, 32, 4, w));
            return PrecisionRecall.Confusion(m.Probabilities(split.Train), split.Train.Labels, 0.5);
        }

        var plain = Counts(1.0);
        var heavy = Counts(10.0);
        Assert.True(heavy.Recall >= plain.Recall, $"{heavy.Recall} vs {plain.Recall}");
        Assert.True(heavy.FalsePositives > plain.FalsePositives, $"{heavy.FalsePositives} vs {plain.FalsePositives}");
    }

    [Fact]
    public void One_full_batch_step_follows_the_library_gradient_of_BCE_with_logits()
    {
        var data = new LabelledData([1.0, -2.0, 0.5], [1, 0, 1], 1, 2);
        var model = new LogisticRegression(1);
        model.Train(data, data, new BinaryTrainingOptions(1, 1.0, 3, 1, PositiveWeight: 2.0));
        var g = new double[3];
        Losses.BinaryCrossEntropyWithLogitsGradient([0.0, 0.0, 0.0], [1.0, 0.0, 1.0], g, posWeight: [2.0]);
        Assert.Equal(-(g[0] * 1.0 + g[1] * -2.0 + g[2] * 0.5), model.Weights[0], 14);
        Assert.Equal(-(g[0] + g[1] + g[2]), model.Bias, 14);
    }

    [Fact]
    public void Bad_options_and_data_are_refused_naming_them()
    {
        var data = new LabelledData([1.0, -2.0], [1, 0], 1, 2);
        Assert.Equal("PositiveWeight", Assert.Throws<ArgumentException>(() =>
            new LogisticRegression(1).Train(data, data, new BinaryTrainingOptions(1, 0.1, 2, 1, 0.0))).ParamName);
        var three = new LabelledData([1.0, -2.0], [2, 0], 1, 3);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new LogisticRegression(1).Loss(three)).ParamName);
    }
}
