using Workbook.Core.Training;

namespace Workbook.Core.Tests.Training;

public class SplitsTests
{
    private static LabelledData Digits() => Datasets.ReadDigits(RepoPaths.Data("digits", "digits.csv.gz"));

    [Fact]
    public void A_stratified_split_is_disjoint_complete_and_keeps_each_class_share()
    {
        var data = Datasets.GaussianBlobs(3UL, 50, [(0.0, 0.0), (1.0, 1.0)], 1.0);
        var split = Splits.Stratified(data, 0.2, 0.2, seed: 11);
        Assert.Equal(data.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
        Assert.Equal((60, 20, 20), (split.Train.Count, split.Validation.Count, split.Test.Count));
        foreach (var part in new[] { split.Train, split.Validation, split.Test })
        {
            Assert.Equal(0.5, part.LabelDistribution()[0], 12);
        }

        var all = split.Train.Features.Concat(split.Validation.Features).Concat(split.Test.Features).Order();
        Assert.Equal(data.Features.Order(), all);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var data = Digits();
        var a = Splits.Stratified(data, 0.2, 0.2, 5);
        var b = Splits.Stratified(data, 0.2, 0.2, 5);
        var c = Splits.Stratified(data, 0.2, 0.2, 6);
        Assert.Equal(a.Test.Features, b.Test.Features);
        Assert.NotEqual(a.Test.Features, c.Test.Features);
    }

    [Theory]
    [InlineData(-0.1, 0.2, "validationFraction")]
    [InlineData(0.2, 0.0, "testFraction")]
    [InlineData(0.6, 0.4, "testFraction")]
    [InlineData(double.NaN, 0.2, "validationFraction")]
    public void Bad_fractions_are_refused_naming_the_argument(double validation, double test, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Splits.Stratified(Digits(), validation, test, 1));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void A_split_that_leaves_a_part_empty_is_refused()
    {
        var tiny = Datasets.GaussianBlobs(3UL, 2, [(0.0, 0.0), (1.0, 1.0)], 1.0);
        var e = Assert.Throws<ArgumentException>(() => Splits.Stratified(tiny, 0.1, 0.5, 1));
        Assert.Contains("validation part would be empty", e.Message);
    }
}
