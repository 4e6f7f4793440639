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
}
