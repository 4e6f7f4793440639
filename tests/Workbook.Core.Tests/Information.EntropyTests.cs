namespace Workbook.Core.Tests;

public class InformationEntropyTests
{
    [Fact]
    public void Fair_coin_has_one_bit_and_ln2_nats()
    {
        Assert.Equal(1.0, Information.Entropy([0.5, 0.5], InformationUnit.Bits), 15);
        Assert.Equal(Math.Log(2), Information.Entropy([0.5, 0.5]), 15);
    }

    [Fact]
    public void Certain_outcome_has_zero_entropy_with_zero_log_zero_taken_as_zero()
    {
        Assert.Equal(0.0, Information.Entropy([0.0, 1.0, 0.0]));
    }

    [Fact]
    public void Entropy_names_the_argument_when_p_does_not_sum_to_one()
    {
        var e = Assert.Throws<ArgumentException>(() => Information.Entropy([0.5, 0.4]));
        Assert.Equal("p", e.ParamName);
        Assert.Contains("sums to 0.9", e.Message);
    }
}
