namespace Workbook.Core.Tests;

public class InformationUnitTests
{
    [Theory]
    [InlineData(InformationUnit.Nats, Math.E, 1.0)]
    [InlineData(InformationUnit.Bits, 2.0, 0.6931471805599453)]
    [InlineData(InformationUnit.Hartleys, 10.0, 2.302585092994046)]
    public void Each_unit_has_its_base_and_ln_of_it(InformationUnit unit, double logBase, double lnBase)
    {
        Assert.Equal(logBase, unit.Base());
        Assert.Equal(lnBase, unit.LnBase(), 1e-15);
        Assert.Equal(Math.Log(unit.Base()), unit.LnBase(), 1e-15);
    }

    [Fact]
    public void A_quantity_in_nats_divided_by_LnBase_is_in_that_unit() =>
        Assert.Equal(1.0, Information.Entropy([0.5, 0.5]) / InformationUnit.Bits.LnBase(), 1e-15);

    [Fact]
    public void An_undefined_unit_is_an_error_naming_it()
    {
        Assert.Equal("unit", Assert.Throws<ArgumentOutOfRangeException>(() => ((InformationUnit)7).Base()).ParamName);
        Assert.Equal("unit", Assert.Throws<ArgumentOutOfRangeException>(() => ((InformationUnit)7).LnBase()).ParamName);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_log_base_that_is_1_or_not_finite_and_positive_is_an_error_naming_it(double logBase) =>
        Assert.Equal("logBase", Assert.Throws<ArgumentException>(() => InformationUnits.LnOfBase(logBase)).ParamName);
}
