using Workbook.Core.Training;

namespace Workbook.Core.Tests.Training;

public class PrecisionRecallTests
{
    [Fact]
    public void Confusion_counts_give_precision_and_recall()
    {
        double[] s = [0.9, 0.8, 0.4, 0.3, 0.1];
        int[] y = [1, 0, 1, 0, 0];
        var c = PrecisionRecall.Confusion(s, y, 0.5);
        Assert.Equal(new ConfusionCounts(1, 1, 2, 1), c);
        Assert.Equal(0.5, c.Precision);
        Assert.Equal(0.5, c.Recall);
        Assert.Equal(1.0, PrecisionRecall.Confusion(s, y, 2.0).Precision);   // nothing called positive
    }

    [Fact]
    public void The_curve_has_one_point_per_distinct_score_and_ends_at_recall_1()
    {
        double[] s = [0.9, 0.8, 0.8, 0.3];
        int[] y = [1, 0, 1, 0];
        var curve = PrecisionRecall.Curve(s, y);
        Assert.Equal([0.9, 0.8, 0.3], curve.Select(p => p.Threshold));
        Assert.Equal([1.0, 2.0 / 3, 0.5], curve.Select(p => p.Precision));
        Assert.Equal([0.5, 1.0, 1.0], curve.Select(p => p.Recall));
        foreach (var p in curve)
        {
            var c = PrecisionRecall.Confusion(s, y, p.Threshold);
            Assert.Equal((c.Precision, c.Recall), (p.Precision, p.Recall));
        }

        Assert.Equal(0.5 * 1.0 + 0.5 * 2.0 / 3, PrecisionRecall.AveragePrecision(curve), 14);
    }

    [Fact]
    public void Scores_that_rank_every_positive_first_have_average_precision_1()
    {
        var curve = PrecisionRecall.Curve([5, 4, -1, -2], [1, 1, 0, 0]);
        Assert.Equal(1.0, PrecisionRecall.AveragePrecision(curve));
    }

    [Fact]
    public void Bad_inputs_are_refused_naming_the_argument()
    {
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => PrecisionRecall.Curve([0.1, 0.2], [0, 0])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => PrecisionRecall.Curve([0.1, 0.2], [0, 2])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => PrecisionRecall.Curve([double.NaN, 0.2], [0, 1])).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentException>(() => PrecisionRecall.Confusion([0.1], [1], double.NaN)).ParamName);
    }
}
