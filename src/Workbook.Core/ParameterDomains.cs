using System.Reflection;

namespace Workbook.Core;

/// <summary>Factories for the domains a parameters cell declares, one per parameter:
/// <c>Domain.ProbabilityVector("p")</c>, <c>Domain.Integer("N", 10, 1_000_000)</c>, <c>Domain.Index("trueClass",
/// below: "logits")</c>, ...</summary>
/// <remarks>The host reads these calls from the cell's source (arguments must be literals) to list the domains and
/// to check <c>run --set</c> values before any cell runs; the notebook runs the same calls as code.</remarks>
public static class Domain
{
    /// <summary>A whole number (<c>int</c> or <c>long</c>) in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <exception cref="ArgumentException">min &gt; max.</exception>
    public static ParameterDomain Integer(string name, long min = long.MinValue, long max = long.MaxValue) =>
        new IntegerDomain(name, min, max);

    /// <summary>A finite <c>double</c> between <paramref name="min"/> and <paramref name="max"/>; each bound is
    /// excluded when its <c>Open</c> flag is set.</summary>
    /// <exception cref="ArgumentException">The bounds are not a non-empty finite interval.</exception>
    public static ParameterDomain Real(string name, double min, double max, bool minOpen = false, bool maxOpen = false) =>
        new RealDomain(name, min, max, minOpen, maxOpen);

    /// <summary>A probability strictly between 0 and 1.</summary>
    public static ParameterDomain Probability(string name) => new RealDomain(name, 0, 1, minOpen: true, maxOpen: true);

    /// <summary>A probability vector of k entries, <paramref name="minLength"/> &lt;= k &lt;= <paramref name="maxLength"/>,
    /// or, when <paramref name="sameLengthAs"/> names another vector parameter, of that vector's length.</summary>
    /// <exception cref="ArgumentException">The length range is empty or not positive.</exception>
    public static ParameterDomain ProbabilityVector(string name, int minLength = 2, int maxLength = 1000, string? sameLengthAs = null) =>
        new ProbabilityVectorDomain(name, minLength, maxLength, sameLengthAs);

    /// <summary>A list of k finite numbers in [<paramref name="min"/>, <paramref name="max"/>] (logits, scores).</summary>
    /// <exception cref="ArgumentException">The ranges are empty.</exception>
    public static ParameterDomain Vector(string name, int minLength = 1, int maxLength = 1000, double min = -1e6, double max = 1e6) =>
        new VectorDomain(name, minLength, maxLength, min, max);

    /// <summary>An <c>int</c> index below the length of the vector parameter <paramref name="below"/>.</summary>
    public static ParameterDomain Index(string name, string below) => new IndexDomain(name, below);
}

/// <summary>The declared domains of a notebook's parameters, in declaration order. The parameters cell declares
/// them with <see cref="Declare"/>; the cell after it calls <see cref="Check(object)"/> with the current values, so
/// values edited in the cell, and values a rerun injects, are checked with the same rules and messages.</summary>
public sealed class ParameterDomains
{
    private ParameterDomains(IReadOnlyList<ParameterDomain> domains) => Domains = domains;

    /// <summary>The domains, in declaration order.</summary>
    public IReadOnlyList<ParameterDomain> Domains { get; }

    /// <summary>Declares the domains of a notebook's parameters.</summary>
    /// <exception cref="ArgumentException">A name is declared twice, or a rule refers to a parameter that is not
    /// declared before it.</exception>
    public static ParameterDomains Declare(params ParameterDomain[] domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in domains)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(domains));
            if (d.DependsOn is { } other && !seen.Contains(other))
            {
                throw new ArgumentException(
                    $"the domain of '{d.Name}' refers to '{other}', which is not declared before it", nameof(domains));
            }

            if (!seen.Add(d.Name))
            {
                throw new ArgumentException($"parameter '{d.Name}' is declared twice", nameof(domains));
            }
        }

        return new ParameterDomains(domains.ToArray());
    }

    /// <summary>Checks the values of an anonymous object whose members are the parameters,
    /// <c>domains.Check(new { p, N, seed })</c>.</summary>
    /// <exception cref="ParameterDomainException">A value is outside its domain, a declared parameter is missing,
    /// or a member has no declared domain.</exception>
    public void Check(object parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var values = parameters.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, p => p.GetValue(parameters), StringComparer.Ordinal);
        Check(values);
    }

    /// <summary>Checks every value against its domain, in declaration order; the first value outside its
    /// domain throws.</summary>
    /// <exception cref="ParameterDomainException">As <see cref="Check(object)"/>.</exception>
    public void Check(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Keys.FirstOrDefault(k => Domains.All(d => d.Name != k)) is { } undeclared)
        {
            throw new ParameterDomainException(undeclared, "a declared domain",
                $"parameter '{undeclared}' has no declared domain; the declared ones are: {string.Join(", ", Domains.Select(d => d.Name))}");
        }

        foreach (var d in Domains)
        {
            if (!values.TryGetValue(d.Name, out object? value))
            {
                throw new ParameterDomainException(d.Name, d.Rule,
                    $"parameter '{d.Name}' is declared ({d.Rule}) but was not given a value to check");
            }

            if (d.Problem(value, values) is { } problem)
            {
                throw new ParameterDomainException(d.Name, d.Rule,
                    $"parameter '{d.Name}' = {ParameterDomain.Show(value)} is outside its domain ({d.Rule}): {problem}");
            }
        }
    }

    /// <summary>A random value for every parameter, drawn in declaration order from its domain.</summary>
    public IReadOnlyDictionary<string, object?> Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var drawn = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var d in Domains)
        {
            drawn[d.Name] = d.Sample(random, drawn);
        }

        return drawn;
    }
}

/// <summary>A parameter's value is outside its declared domain. The message names the parameter, the rule and
/// the value.</summary>
public sealed class ParameterDomainException : ArgumentException
{
    /// <summary>Creates the exception for parameter <paramref name="name"/> and its <paramref name="rule"/>.</summary>
    public ParameterDomainException(string name, string rule, string message) : base(message, name) => Rule = rule;

    /// <summary>The rule the value breaks, in words.</summary>
    public string Rule { get; }

    /// <inheritdoc />
    public override string Message => base.Message.Split(" (Parameter '", 2)[0];
}
