namespace Workbook.Core.Tests;

/// <summary>The vectorised row kernels (long rows one at a time, short rows 8 at a time transposed, the scalar rest)
/// against a plain scalar implementation, over row counts and class counts that hit every path and boundary.</summary>
public class RowReductionsTests
{
    private static double ScalarLogSumExp(ReadOnlySpan<double> row)
    {
        double m = double.NegativeInfinity;
        foreach (double v in row)
        {
            m = Math.Max(m, v);
        }

        double s = 0.0;
        foreach (double v in row)
        {
            s += Math.Exp(v - m);
        }

        return m + Math.Log(s);
    }

    private static (double[] X, int[] T) Batch(int rows, int classes, int seed)
    {
        var rng = new Random(seed);
        var x = new double[rows * classes];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.Next(4) switch
            {
                0 => rng.NextDouble() * 2000 - 1000,   // spreads beyond 708: subnormal and zero exps
                1 => double.NegativeInfinity,          // masked
                _ => rng.NextDouble() * 20 - 10,
            };
        }

        var t = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            t[r] = rng.Next(classes);
            x[r * classes + t[r]] = rng.NextDouble() * 20 - 10;  // the target is never masked
        }

        return (x, t);
    }

    public static TheoryData<int, int> Shapes()
    {
        var d = new TheoryData<int, int>();
        foreach (int rows in new[] { 1, 7, 8, 9, 16, 23, 200, 205, 411 })
        {
            foreach (int classes in new[] { 1, 2, 3, 8, 10, 15, 16, 17, 1000 })
            {
                d.Add(rows, classes);
            }
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Cross_entropy_log_sum_exp_and_softmax_agree_with_a_scalar_loop(int rows, int classes)
    {
        var (x, t) = Batch(rows, classes, rows * 31 + classes);
        var losses = new double[rows];
        Losses.CrossEntropyPerExample(x, classes, t, losses);
        var lse = new double[rows];
        SoftmaxFunctions.LogSumExpRows(x, classes, lse);
        var logSoftmax = new double[x.Length];
        SoftmaxFunctions.LogSoftmaxRows(x, classes, logSoftmax);
        var softmax = (double[])x.Clone();
        SoftmaxFunctions.SoftmaxRows(softmax, classes, softmax);  // in place, as the MathNet overload does
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = x.AsSpan(r * classes, classes);
            double expectedLse = ScalarLogSumExp(row);
            Assert.Equal(expectedLse, lse[r], Math.Abs(expectedLse) * 1e-13 + 1e-15);
            double expectedLoss = -logSoftmax[r * classes + t[r]];
            Assert.Equal(expectedLoss, losses[r], Math.Abs(expectedLoss) * 1e-13 + 1e-15);
            for (int c = 0; c < classes; c++)
            {
                double e = Math.Exp(logSoftmax[r * classes + c]);
                Assert.Equal(e, softmax[r * classes + c], e * 1e-13 + 1e-15);
            }
        }
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(10, 7)]
    [InlineData(10, 8)]
    [InlineData(10, 203)]
    [InlineData(3, 17)]
    [InlineData(1000, 5)]
    public void A_NaN_or_infinite_logit_is_named_by_row_whatever_the_path(int classes, int badRow)
    {
        var (x, t) = Batch(211, classes, 5);
        x[badRow * classes + classes / 2] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(x, classes, t));
        Assert.Contains($"logits[{badRow}, {classes / 2}] is NaN", e.Message);
        x[badRow * classes + classes / 2] = double.PositiveInfinity;
        e = Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(x, classes, t));
        Assert.Contains($"logits[{badRow}, {classes / 2}] is +inf", e.Message);
    }

    [Fact]
    public void An_all_masked_row_among_others_gives_NaN_only_in_that_row()
    {
        var (x, t) = Batch(16, 10, 9);
        x.AsSpan(3 * 10, 10).Fill(double.NegativeInfinity);
        var losses = new double[16];
        Losses.CrossEntropyPerExample(x, 10, t, losses);
        for (int r = 0; r < 16; r++)
        {
            Assert.Equal(r == 3, double.IsNaN(losses[r]));
        }
    }
}
