using Workbook.Core.Training;

namespace Workbook.Core.Tests.Training;

public class StandardizerTests
{
    [Fact]
    public void Standardised_training_features_have_mean_0_and_sd_1_and_constant_features_become_0()
    {
        var digits = Datasets.ReadDigits(RepoPaths.Data("digits", "digits.csv.gz"));
        var scaler = Standardizer.Fit(digits);
        var z = scaler.Transform(digits);
        for (int d = 0; d < z.Dimensions; d++)
        {
            var column = z.Column(d);
            double mean = column.Average();
            double sd = Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average());
            Assert.Equal(0, mean, 10);
            if (digits.Column(d).Distinct().Count() == 1)
            {
                Assert.All(column, v => Assert.Equal(0.0, v));   // pixel 0 is always blank
            }
            else
            {
                Assert.Equal(1, sd, 10);
            }
        }

        Assert.Equal(digits.Labels, z.Labels);
    }

    [Fact]
    public void Held_out_data_is_scaled_with_the_training_statistics()
    {
        var train = new LabelledData([0, 2, 4], [0, 1, 0], 1, 2);   // mean 2, sd sqrt(8/3)
        var test = new LabelledData([2, 10], [0, 1], 1, 2);
        var z = Standardizer.Fit(train).Transform(test);
        Assert.Equal(0, z.Features[0], 14);
        Assert.Equal(8 / Math.Sqrt(8.0 / 3), z.Features[1], 12);
    }

    [Fact]
    public void Data_of_another_width_is_refused()
    {
        var scaler = Standardizer.Fit(new LabelledData([0, 1], [0, 1], 1, 2));
        var e = Assert.Throws<ArgumentException>(() => scaler.Transform(new LabelledData([0, 1], [0], 2, 2)));
        Assert.Equal("data", e.ParamName);
    }
}
