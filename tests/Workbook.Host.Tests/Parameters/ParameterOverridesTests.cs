using Workbook.Host.Notebooks;
using Workbook.Host.Parameters;

namespace Workbook.Host.Tests.Parameters;

/// <summary><see cref="ParameterOverrides"/> on the fixture notebooks, without a process: the checks and messages
/// that <c>run --set</c> prints (the command's own tests check that it prints them and exits with 2).</summary>
public class ParameterOverridesTests
{
    private static IpynbDocument Fixture(string name) =>
        IpynbDocument.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static ParameterException Refused(string fixture, params string[] assignments) =>
        Assert.Throws<ParameterException>(() =>
            ParameterOverrides.Parse(assignments).ApplyTo(Fixture(fixture), fixture));

    [Fact]
    public void Overrides_become_an_injected_cell_after_the_parameters_cell_and_the_source_is_unchanged()
    {
        var doc = Fixture("parameters-latex.ipynb");
        int at = ParametersCell.Find(doc)!.CellIndex;

        var applied = ParameterOverrides.Parse(["N=1000000", "scale=3", "p=0.2,0.3,0.5", "label=hi there"])
            .ApplyTo(doc, "parameters-latex.ipynb");

        var injected = applied.Cells[at + 1];
        Assert.Equal([ParametersCell.InjectedTag], injected.Tags);
        Assert.Contains("var N = 1000000;", injected.Source, StringComparison.Ordinal);
        Assert.Contains("double scale = 3.0;", injected.Source, StringComparison.Ordinal);
        Assert.Contains("var p = new double[] { 0.2, 0.3, 0.5 };", injected.Source, StringComparison.Ordinal);
        Assert.Contains("var label = \"hi there\";", injected.Source, StringComparison.Ordinal);
        Assert.Equal(doc.Cells.Count + 1, applied.Cells.Count);
        Assert.Contains("var N = 1000;", applied.Cells[at].Source, StringComparison.Ordinal);
        Assert.DoesNotContain(doc.Cells, c => c.Tags.Contains(ParametersCell.InjectedTag));
    }

    [Fact]
    public void No_overrides_leave_the_document_as_it_is()
    {
        var doc = Fixture("succeeds.ipynb");

        Assert.Same(doc, ParameterOverrides.None.ApplyTo(doc, "succeeds.ipynb"));
    }

    [Fact]
    public void An_unknown_parameter_is_refused_listing_the_known_ones()
    {
        var e = Refused("parameters-latex.ipynb", "M=5");

        Assert.Equal("M", e.ParameterName);
        Assert.Contains("no parameter 'M'", e.Message, StringComparison.Ordinal);
        Assert.Contains("N (int), scale (double), label (string), verbose (bool), p (double[])", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("N=0.5", "'N' is an int; '0.5' is not an int")]
    [InlineData("scale=abc", "'scale' is a double; 'abc' is not a number")]
    [InlineData("verbose=maybe", "'verbose' is a bool; 'maybe' is not true or false")]
    [InlineData("p=0.5,x", "'p' is a double[] (give a comma-separated list); 'x' is not a number")]
    [InlineData("N=99999999999", "'N' is an int; '99999999999' is not an int")]
    public void A_value_of_the_wrong_type_is_refused_naming_the_parameter(string assignment, string expected)
    {
        var e = Refused("parameters-latex.ipynb", assignment);

        Assert.Equal(assignment[..assignment.IndexOf('=')], e.ParameterName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("its parameters are: N (int), scale (double)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trueClass=3", "parameter 'trueClass' = 3 is outside its domain (an index 0 <= i < the length of p): p has 3 entries")]
    [InlineData("q=0.5,0.5", "parameter 'q' = 0.5,0.5 is outside its domain (a probability vector: as many entries as p, each in [0, 1], summing to 1 ± 1e-9): it has 2 entries but p has 3")]
    [InlineData("smoothing=1", "parameter 'smoothing' = 1 is outside its domain (a number in [0, 1)): it is out of range")]
    [InlineData("p=0.5,0.6,0.1", "parameter 'p' = 0.5,0.6,0.1 is outside its domain (a probability vector: k entries, 2 <= k <= 10, each in [0, 1], summing to 1 ± 1e-9): it sums to 1.2")]
    public void A_value_outside_its_declared_domain_is_refused_naming_the_rule_and_the_value(string assignment, string expected)
    {
        var e = Refused("parameters-domains.ipynb", assignment);

        Assert.Equal(assignment[..assignment.IndexOf('=')], e.ParameterName);
        Assert.StartsWith("parameters-domains.ipynb: " + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cross_parameter_rules_use_the_values_set_together()
    {
        var doc = Fixture("parameters-domains.ipynb");

        var applied = ParameterOverrides.Parse(["p=0.5,0.5", "q=1,0", "trueClass=1"]).ApplyTo(doc, "parameters-domains.ipynb");

        Assert.Equal(doc.Cells.Count + 1, applied.Cells.Count);
    }

    [Fact]
    public void A_notebook_without_a_parameters_cell_has_nothing_to_set()
    {
        var e = Refused("throws.ipynb", "n=1");

        Assert.Contains("has no cell tagged 'parameters'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("N")]
    [InlineData("=5")]
    public void An_assignment_without_a_name_and_an_equals_sign_is_refused(string assignment)
    {
        var e = Assert.Throws<ParameterException>(() => ParameterOverrides.Parse([assignment]));

        Assert.Contains("is not of the form name=value", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_value_replaces_an_earlier_one() =>
        Assert.Equal([("N", "2")], ParameterOverrides.Parse(["N=1", "N=2"]).Values);

    [Fact]
    public void The_file_name_records_the_overrides_safely_and_stays_short()
    {
        Assert.Equal("02_x.ipynb", ParameterOverrides.None.FileNameFor("/a/02_x.ipynb"));
        Assert.Equal("02_x.N=1000000.label=hi_there.ipynb",
            ParameterOverrides.Parse(["N=1000000", "label=hi there"]).FileNameFor("02_x.ipynb"));
        Assert.Equal("02_x.p=_.._etc.ipynb", ParameterOverrides.Parse(["p=/../etc"]).FileNameFor("02_x.ipynb"));

        string longName = ParameterOverrides.Parse([$"label={new string('a', 300)}"]).FileNameFor("02_x.ipynb");
        Assert.True(longName.Length < 160, longName);
        Assert.NotEqual(longName, ParameterOverrides.Parse([$"label={new string('a', 299)}b"]).FileNameFor("02_x.ipynb"));
    }
}
