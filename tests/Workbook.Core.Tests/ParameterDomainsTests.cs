namespace Workbook.Core.Tests;

public class ParameterDomainsTests
{
    private static ParameterDomains Lesson() => ParameterDomains.Declare(
        Domain.ProbabilityVector("p", minLength: 2, maxLength: 6),
        Domain.ProbabilityVector("q", sameLengthAs: "p"),
        Domain.Integer("N", min: 10, max: 1_000_000),
        Domain.Index("trueClass", below: "p"),
        Domain.Probability("b"),
        Domain.Vector("logits", minLength: 2, maxLength: 5, min: -100, max: 100),
        Domain.Integer("seed"));

    private static object Valid(double[]? p = null, double[]? q = null, long N = 1000, int trueClass = 0, double b = 0.3,
        double[]? logits = null) =>
        new { p = p ?? [0.5, 0.5], q = q ?? [0.2, 0.8], N, trueClass, b, logits = logits ?? [1.0, 2.0], seed = 7L };

    [Fact]
    public void Values_inside_every_domain_pass() => Lesson().Check(Valid());

    [Theory]
    [InlineData("p", "parameter 'p' = 0.5,0.6 is outside its domain (a probability vector: k entries, 2 <= k <= 6, each in [0, 1], summing to 1 ± 1e-9): it sums to 1.1")]
    [InlineData("q", "parameter 'q' = 0.2,0.3,0.5 is outside its domain (a probability vector: as many entries as p, each in [0, 1], summing to 1 ± 1e-9): it has 3 entries but p has 2")]
    [InlineData("N", "parameter 'N' = 9 is outside its domain (a whole number in [10, 1000000]): it is out of range")]
    [InlineData("trueClass", "parameter 'trueClass' = 2 is outside its domain (an index 0 <= i < the length of p): p has 2 entries")]
    [InlineData("b", "parameter 'b' = 1 is outside its domain (a number in (0, 1)): it is out of range")]
    [InlineData("logits", "parameter 'logits' = 1,NaN is outside its domain (a list of k numbers, 2 <= k <= 5, each in [-100, 100]): entry 1 is NaN")]
    public void A_value_outside_its_domain_throws_naming_the_parameter_the_rule_and_the_value(string name, string message)
    {
        object values = name switch
        {
            "p" => Valid(p: [0.5, 0.6]),
            "q" => Valid(q: [0.2, 0.3, 0.5]),
            "N" => Valid(N: 9),
            "trueClass" => Valid(trueClass: 2),
            "b" => Valid(b: 1.0),
            _ => Valid(logits: [1.0, double.NaN]),
        };

        var e = Assert.Throws<ParameterDomainException>(() => Lesson().Check(values));

        Assert.Equal(name, e.ParamName);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_negative_probability_and_a_short_vector_are_refused()
    {
        Assert.Contains("entry 0 is -0.5, not a probability in [0, 1]",
            Assert.Throws<ParameterDomainException>(() => Lesson().Check(Valid(p: [-0.5, 1.5]))).Message);
        Assert.Contains("it has 1 entries",
            Assert.Throws<ParameterDomainException>(() => Lesson().Check(Valid(p: [1.0], q: [1.0]))).Message);
    }

    [Fact]
    public void A_missing_or_undeclared_parameter_is_an_error()
    {
        var d = ParameterDomains.Declare(Domain.Integer("N", 1, 10));
        Assert.Contains("'M' has no declared domain", Assert.Throws<ParameterDomainException>(() => d.Check(new { N = 1, M = 2 })).Message);
        Assert.Contains("'N' is declared", Assert.Throws<ParameterDomainException>(() => d.Check(new { })).Message);
    }

    [Fact]
    public void A_rule_may_only_refer_to_a_parameter_declared_before_it()
    {
        var e = Assert.Throws<ArgumentException>(() => ParameterDomains.Declare(
            Domain.Index("trueClass", below: "logits"), Domain.Vector("logits")));
        Assert.Contains("refers to 'logits', which is not declared before it", e.Message);
        Assert.Throws<ArgumentException>(() => ParameterDomains.Declare(Domain.Integer("N"), Domain.Integer("N")));
        Assert.Throws<ArgumentException>(() => Domain.Integer("N", min: 5, max: 4));
        Assert.Throws<ArgumentException>(() => Domain.Real("x", 1, 1, minOpen: true));
    }

    [Fact]
    public void Samples_and_edges_lie_inside_their_domains()
    {
        var domains = Lesson();
        var random = new Random(1234);
        for (int i = 0; i < 500; i++)
        {
            var drawn = domains.Sample(random);
            domains.Check(drawn);
            foreach (var d in domains.Domains)
            {
                foreach (object edge in d.Edges(drawn))
                {
                    var withEdge = new Dictionary<string, object?>(drawn) { [d.Name] = edge };
                    Assert.True(d.Problem(edge, withEdge) is null, $"{d.Name} edge {ParameterDomain.Show(edge)}: {d.Problem(edge, withEdge)}");
                }
            }
        }
    }

    [Fact]
    public void Probability_vector_edges_are_uniform_certain_rare_equal_and_zero_where_the_other_is_positive()
    {
        var q = (ProbabilityVectorDomain)Domain.ProbabilityVector("q", sameLengthAs: "p");
        var edges = q.Edges(new Dictionary<string, object?> { ["p"] = new[] { 0.5, 0.25, 0.25 } }).Cast<double[]>().ToList();

        Assert.Equal([1.0 / 3, 1.0 / 3, 1.0 / 3], edges[0]);
        Assert.Equal([1.0, 0, 0], edges[1]);
        Assert.Equal(1e-4, edges[2][0]);
        Assert.Equal([0.5, 0.25, 0.25], edges[3]);
        Assert.Equal([0.0, 0.75, 0.25], edges[4]);
    }

    [Fact]
    public void Sampling_is_deterministic_for_a_seed()
    {
        string Draw(int seed) => string.Join(";", Lesson().Sample(new Random(seed)).Select(kv => kv.Key + "=" + ParameterDomain.Show(kv.Value)));
        Assert.Equal(Draw(5), Draw(5));
        Assert.NotEqual(Draw(5), Draw(6));
    }
}
