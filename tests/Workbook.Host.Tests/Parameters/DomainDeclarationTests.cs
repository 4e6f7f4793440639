using Workbook.Core;
using Workbook.Host.Notebooks;
using Workbook.Host.Parameters;

namespace Workbook.Host.Tests.Parameters;

public class DomainDeclarationTests
{
    [Fact]
    public void The_declaration_is_read_from_the_source_with_the_same_factories_the_notebook_calls()
    {
        var domains = ParametersCell.ParseDomains("""
            var p = new[] { 0.5, 0.5 };
            var N = 10;
            var domains = ParameterDomains.Declare(
                Domain.ProbabilityVector(nameof(p), maxLength: 4),
                Domain.Integer("N", -5, max: long.MaxValue),
                Domain.Real("eps", 0, 1, minOpen: true));
            """)!;

        Assert.Equal(["p", "N", "eps"], domains.Domains.Select(d => d.Name));
        Assert.Equal(Domain.ProbabilityVector("p", maxLength: 4).Rule, domains.Domains[0].Rule);
        Assert.Equal(-5, ((IntegerDomain)domains.Domains[1]).Min);
        Assert.Equal("a number in (0, 1]", domains.Domains[2].Rule);
    }

    [Fact]
    public void A_cell_without_a_declaration_has_no_domains() =>
        Assert.Null(ParametersCell.ParseDomains("var N = 10;"));

    [Theory]
    [InlineData("Domain.Integer(\"N\", min: lower)", "cannot be read at 'lower': expected a literal")]
    [InlineData("Domain.Nope(\"N\")", "Domain has no method 'Nope'")]
    [InlineData("Domain.Integer(\"N\", min: 3, max: 2)", "is invalid")]
    [InlineData("Domain.Index(\"i\", below: \"v\")", "refers to 'v', which is not declared before it")]
    [InlineData("MyDomain()", "expected a call Domain.Name(...)")]
    public void A_declaration_that_cannot_be_read_without_running_it_is_refused_with_the_reason(string argument, string expected)
    {
        var e = Assert.Throws<ParameterException>(() => ParametersCell.ParseDomains($"var d = ParameterDomains.Declare({argument});"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Defaults_and_overrides_become_values_of_the_declared_types()
    {
        var doc = IpynbDocument.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "parameters-domains.ipynb"));
        var cell = ParametersCell.Find(doc)!;

        var values = cell.Values([("N", "2_000"), ("q", "1,0,0")]);

        Assert.Equal(new[] { 0.5, 0.25, 0.25 }, values["p"]);
        Assert.Equal(new[] { 1.0, 0, 0 }, values["q"]);
        Assert.Equal(2000L, values["N"]);
        Assert.Equal(-7L, values["seed"]);
        Assert.Equal(2, values["trueClass"]);
        cell.Domains!.Check(values);
    }
}
