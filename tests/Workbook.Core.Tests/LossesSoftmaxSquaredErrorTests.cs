namespace Workbook.Core.Tests;

public class LossesSoftmaxSquaredErrorTests
{
    [Fact]
    public void Equal_logits_cost_the_distance_from_uniform_to_one_hot()
    {
        // s = (1/3, 1/3, 1/3), y = (1, 0, 0): (2/3)^2 + 2 (1/3)^2 = 2/3
        Assert.Equal(2.0 / 3, Losses.SoftmaxSquaredError([0.0, 0.0, 0.0], 3, [0]), 14);
    }

    [Fact]
    public void The_gradient_matches_central_differences()
    {
        double[] z = [0.3, -1.2, 2.0, 0.1, 0.5, -0.4];
        int[] t = [1, 2];
        var g = new double[z.Length];
        Losses.SoftmaxSquaredErrorGradient(z, 3, t, g);
        for (int i = 0; i < z.Length; i++)
        {
            var up = (double[])z.Clone();
            var down = (double[])z.Clone();
            up[i] += 1e-6;
            down[i] -= 1e-6;
            double numeric = (Losses.SoftmaxSquaredError(up, 3, t) - Losses.SoftmaxSquaredError(down, 3, t)) / 2e-6;
            Assert.Equal(numeric, g[i], 8);
        }
    }

    [Fact]
    public void A_confidently_wrong_prediction_costs_at_most_2_and_gets_almost_no_gradient()
    {
        double[] z = [-30.0, 30.0];
        Assert.Equal(2.0, Losses.SoftmaxSquaredError(z, 2, [0]), 12);
        var g = new double[2];
        Losses.SoftmaxSquaredErrorGradient(z, 2, [0], g);
        Assert.True(Math.Abs(g[0]) < 1e-20, $"{g[0]}");
        Assert.Equal(0.0, Losses.SoftmaxSquaredError([1e4, 0.0], 2, [0]));
    }

    [Fact]
    public void Bad_inputs_are_refused_naming_the_argument()
    {
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Losses.SoftmaxSquaredError([0.0, 0.0], 2, [2])).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => Losses.SoftmaxSquaredError([0.0, 0.0, 0.0], 2, [0])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Losses.SoftmaxSquaredError([double.NaN, 0.0], 2, [0])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() =>
            Losses.SoftmaxSquaredErrorGradient([0.0, 0.0], 2, [0], new double[3])).ParamName);
    }
}
