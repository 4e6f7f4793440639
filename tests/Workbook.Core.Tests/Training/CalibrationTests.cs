using Workbook.Core.Training;

namespace Workbook.Core.Tests.Training;

public class CalibrationTests
{
    [Fact]
    public void Reliability_bins_count_confidence_and_accuracy_and_ECE_weights_the_gaps()
    {
        // Four predictions: two at confidence 0.9 (one right), two at 0.6 (both right).
        double[] q = [0.9, 0.1, 0.9, 0.1, 0.4, 0.6, 0.6, 0.4];
        int[] labels = [0, 1, 1, 0];
        var bins = Calibration.Reliability(q, 2, labels, bins: 10);
        Assert.Equal(10, bins.Length);
        Assert.Equal((2, 0.9, 0.5), (bins[9].Count, bins[9].MeanConfidence, bins[9].Accuracy));
        Assert.Equal(2, bins[6].Count);
        Assert.Equal(1.0, bins[6].Accuracy);
        Assert.Equal(0.6, bins[6].MeanConfidence, 14);
        Assert.Equal(0.5 * 0.4 + 0.5 * 0.4, Calibration.ExpectedCalibrationError(bins), 14);
        Assert.Equal(4, bins.Sum(b => b.Count));
    }

    [Fact]
    public void Confidence_1_falls_in_the_last_bin_and_a_perfectly_sure_right_model_has_ECE_0()
    {
        double[] q = [1, 0, 0, 1];
        var bins = Calibration.Reliability(q, 2, [0, 1], bins: 5);
        Assert.Equal(2, bins[4].Count);
        Assert.Equal(0, Calibration.ExpectedCalibrationError(bins));
    }

    [Fact]
    public void Temperature_scaling_recovers_the_temperature_that_generated_the_labels()
    {
        // Labels drawn from softmax(z / 2): the held-out cross-entropy is smallest near T = 2.
        var rng = new Workbook.Core.Simulation.Xoshiro256StarStar(42);
        int rows = 20000, classes = 3;
        var z = new double[rows * classes];
        var labels = new int[rows];
        for (int n = 0; n < rows; n++)
        {
            for (int c = 0; c < classes; c++)
            {
                z[n * classes + c] = 6 * rng.NextDouble() - 3;
            }

            var p = SoftmaxFunctions.Softmax(z[(n * classes)..((n + 1) * classes)], temperature: 2.0);
            double u = rng.NextDouble();
            labels[n] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
        }

        double t = Calibration.FitTemperature(z, classes, labels);
        Assert.InRange(t, 1.9, 2.1);
        double best = Losses.CrossEntropy(Calibration.Scale(z, t), classes, labels);
        foreach (double other in new[] { t * 0.99, t * 1.01 })
        {
            Assert.True(best <= Losses.CrossEntropy(Calibration.Scale(z, other), classes, labels));
        }
    }

    [Fact]
    public void A_model_right_on_every_example_is_pushed_to_the_lowest_temperature_allowed()
    {
        double[] z = [2, 0, 0, 2];
        Assert.Equal(0.05, Calibration.FitTemperature(z, 2, [0, 1]), 8);
    }

    [Fact]
    public void Bad_inputs_are_refused_naming_the_argument()
    {
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => Calibration.Reliability([0.5, 0.6], 2, [0])).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentException>(() => Calibration.Reliability([0.5, 0.5], 2, [0], bins: 0)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Calibration.Reliability([0.5, 0.5], 2, [2])).ParamName);
        Assert.Equal("maxTemperature", Assert.Throws<ArgumentException>(() => Calibration.FitTemperature([0, 1], 2, [0], 1, 1)).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => Calibration.FitTemperature([0, double.NaN], 2, [0])).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentException>(() => Calibration.ExpectedCalibrationError(Array.Empty<ReliabilityBin>())).ParamName);
    }
}
