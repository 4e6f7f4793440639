using System.Globalization;

namespace Workbook.Core;

/// <summary>The values one named parameter may take: a rule that can be checked, shown, sampled from and probed at
/// its edges. Build one with the factory methods of <see cref="Domain"/>.</summary>
/// <remarks>Values are the C# values a parameters cell declares: <c>int</c>, <c>long</c>, <c>double</c>,
/// <c>bool</c>, <c>string</c> or a <c>double[]</c>. A rule may refer to another parameter declared before it
/// (<see cref="DependsOn"/>): an index below the length of a vector, a vector of the same length as another.</remarks>
public abstract class ParameterDomain
{
    /// <summary>Creates the domain of parameter <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    protected ParameterDomain(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("name is empty, expected the parameter's variable name", nameof(name));
        }

        Name = name;
    }

    /// <summary>The parameter's variable name in the parameters cell.</summary>
    public string Name { get; }

    /// <summary>The rule in words, e.g. <c>an integer in [10, 1000000]</c>.</summary>
    public abstract string Rule { get; }

    /// <summary>The other parameter this rule refers to, or null.</summary>
    public virtual string? DependsOn => null;

    /// <summary>Why <paramref name="value"/> is outside the domain, or null when it is inside.</summary>
    /// <param name="value">The parameter's value.</param>
    /// <param name="values">Every parameter's value, by name (for rules that refer to another parameter).</param>
    public abstract string? Problem(object? value, IReadOnlyDictionary<string, object?> values);

    /// <summary>A random value inside the domain, given the values already drawn for the parameters declared
    /// before it.</summary>
    public abstract object Sample(Random random, IReadOnlyDictionary<string, object?> values);

    /// <summary>The values at the edges of the domain (bounds, certain and uniform distributions, ...), given the
    /// parameters' current values (a vector keeps its current length when it has one). Each is inside the domain.</summary>
    public abstract IReadOnlyList<object> Edges(IReadOnlyDictionary<string, object?> values);

    /// <summary>A value as the command line would give it: numbers in invariant culture, arrays comma-separated.</summary>
    public static string Show(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e => string.Join(",", e.Cast<object?>().Select(Show)),
        _ => value.ToString() ?? "",
    };

    private protected static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private protected static double[]? AsVector(object? value) => value switch
    {
        double[] d => d,
        float[] f => f.Select(x => (double)x).ToArray(),
        int[] i => i.Select(x => (double)x).ToArray(),
        long[] l => l.Select(x => (double)x).ToArray(),
        _ => null,
    };

    private protected static int? LengthOf(string name, IReadOnlyDictionary<string, object?> values) =>
        values.TryGetValue(name, out object? v) && v is Array a ? a.Length : null;
}

/// <summary>The domain of an integer parameter (<c>int</c> or <c>long</c>): a whole number in [min, max].</summary>
public sealed class IntegerDomain : ParameterDomain
{
    internal IntegerDomain(string name, long min, long max) : base(name)
    {
        if (min > max)
        {
            throw new ArgumentException($"min is {min} but max is {max}; expected min <= max", nameof(min));
        }

        Min = min;
        Max = max;
    }

    /// <summary>The smallest value allowed.</summary>
    public long Min { get; }

    /// <summary>The largest value allowed.</summary>
    public long Max { get; }

    /// <inheritdoc />
    public override string Rule => Min == long.MinValue && Max == long.MaxValue
        ? "any whole number"
        : $"a whole number in [{Min.ToString(CultureInfo.InvariantCulture)}, {Max.ToString(CultureInfo.InvariantCulture)}]";

    /// <inheritdoc />
    public override string? Problem(object? value, IReadOnlyDictionary<string, object?> values) => value switch
    {
        int i => i < Min || i > Max ? "it is out of range" : null,
        long l => l < Min || l > Max ? "it is out of range" : null,
        _ => "it is not a whole number",
    };

    /// <inheritdoc />
    public override object Sample(Random random, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Min > 0 && Max / Min >= 100)
        {
            // Log-uniform: sizes that span decades are sampled evenly in each decade.
            double x = Math.Exp(Math.Log(Min) + random.NextDouble() * (Math.Log(Max) - Math.Log(Min)));
            return Math.Clamp((long)Math.Round(x), Min, Max);
        }

        return Max == long.MaxValue ? Math.Max(Min, random.NextInt64()) : random.NextInt64(Min, Max + 1);
    }

    /// <inheritdoc />
    public override IReadOnlyList<object> Edges(IReadOnlyDictionary<string, object?> values) =>
        Min == Max ? [Min] : [Min, Max];
}

/// <summary>The domain of a <c>double</c> parameter: a finite number between two bounds, each open or closed.</summary>
public sealed class RealDomain : ParameterDomain
{
    internal RealDomain(string name, double min, double max, bool minOpen, bool maxOpen) : base(name)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max || (min == max && (minOpen || maxOpen)))
        {
            throw new ArgumentException($"the bounds [{F(min)}, {F(max)}] are not a non-empty finite interval", nameof(min));
        }

        (Min, Max, MinOpen, MaxOpen) = (min, max, minOpen, maxOpen);
    }

    /// <summary>The lower bound.</summary>
    public double Min { get; }

    /// <summary>The upper bound.</summary>
    public double Max { get; }

    /// <summary>True when <see cref="Min"/> itself is excluded.</summary>
    public bool MinOpen { get; }

    /// <summary>True when <see cref="Max"/> itself is excluded.</summary>
    public bool MaxOpen { get; }

    /// <inheritdoc />
    public override string Rule => $"a number in {(MinOpen ? "(" : "[")}{F(Min)}, {F(Max)}{(MaxOpen ? ")" : "]")}";

    /// <inheritdoc />
    public override string? Problem(object? value, IReadOnlyDictionary<string, object?> values)
    {
        double? v = value switch { double d => d, int i => i, long l => l, float f => f, _ => null };
        if (v is not { } x)
        {
            return "it is not a number";
        }

        if (double.IsNaN(x))
        {
            return "it is NaN";
        }

        bool below = MinOpen ? x <= Min : x < Min;
        bool above = MaxOpen ? x >= Max : x > Max;
        return below || above ? "it is out of range" : null;
    }

    /// <inheritdoc />
    public override object Sample(Random random, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int attempt = 0; ; attempt++)
        {
            double x = Min + random.NextDouble() * (Max - Min);
            if (Problem(x, values) is null || attempt > 100)
            {
                return Problem(x, values) is null ? x : (Min + Max) / 2;
            }
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<object> Edges(IReadOnlyDictionary<string, object?> values)
    {
        // An open bound is probed just inside it: 1e-6 of the width away.
        double width = Max - Min;
        double low = MinOpen ? Min + width * 1e-6 : Min;
        double high = MaxOpen ? Max - width * 1e-6 : Max;
        return low == high ? [low] : [low, high];
    }
}

/// <summary>The domain of a <c>double[]</c> probability vector: k entries in [0, 1] summing to 1 within
/// <see cref="Validate.DefaultSumTolerance"/>, with k in a range or equal to another vector's length.</summary>
public sealed class ProbabilityVectorDomain : ParameterDomain
{
    internal ProbabilityVectorDomain(string name, int minLength, int maxLength, string? sameLengthAs) : base(name)
    {
        if (minLength < 1 || maxLength < minLength)
        {
            throw new ArgumentException($"lengths [{minLength}, {maxLength}] are not a range of positive lengths", nameof(minLength));
        }

        (MinLength, MaxLength, SameLengthAs) = (minLength, maxLength, sameLengthAs);
    }

    /// <summary>The fewest entries allowed.</summary>
    public int MinLength { get; }

    /// <summary>The most entries allowed.</summary>
    public int MaxLength { get; }

    /// <summary>The vector parameter whose length this one must have, or null.</summary>
    public string? SameLengthAs { get; }

    /// <inheritdoc />
    public override string? DependsOn => SameLengthAs;

    /// <inheritdoc />
    public override string Rule =>
        "a probability vector: " +
        (SameLengthAs is { } other ? $"as many entries as {other}" : $"k entries, {MinLength} <= k <= {MaxLength}") +
        $", each in [0, 1], summing to 1 ± {Validate.DefaultSumTolerance.ToString("0e0", CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    public override string? Problem(object? value, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (AsVector(value) is not { } p)
        {
            return "it is not a list of numbers";
        }

        if (SameLengthAs is { } other && LengthOf(other, values) is { } k && p.Length != k)
        {
            return $"it has {p.Length} entries but {other} has {k}";
        }

        if (p.Length < MinLength || p.Length > MaxLength)
        {
            return $"it has {p.Length} entries";
        }

        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (double.IsNaN(p[i]) || p[i] < 0 || p[i] > 1)
            {
                return $"entry {i} is {F(p[i])}, not a probability in [0, 1]";
            }

            sum += p[i];
        }

        return Math.Abs(sum - 1) > Validate.DefaultSumTolerance ? $"it sums to {F(sum)}" : null;
    }

    /// <inheritdoc />
    public override object Sample(Random random, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(values);
        int k = SameLengthAs is { } other && LengthOf(other, values) is { } n
            ? n
            : random.Next(MinLength, Math.Min(MaxLength, Math.Max(MinLength, 8)) + 1);
        var p = new double[k];
        // Exponential weights give a uniform draw on the simplex; some entries are zeroed so that
        // distributions with impossible outcomes are drawn too.
        for (int i = 0; i < k; i++)
        {
            p[i] = random.NextDouble() < 0.15 ? 0.0 : -Math.Log(1 - random.NextDouble());
        }

        if (p.All(x => x == 0))
        {
            p[random.Next(k)] = 1.0;
        }

        return Normalized(p);
    }

    /// <inheritdoc />
    public override IReadOnlyList<object> Edges(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var edges = new List<object>();
        int k = SameLengthAs is { } other && LengthOf(other, values) is { } n ? n
            : LengthOf(Name, values) is { } own && own >= MinLength && own <= MaxLength ? own
            : Math.Max(MinLength, Math.Min(MaxLength, 4));
        edges.Add(Enumerable.Repeat(1.0 / k, k).ToArray());                              // uniform
        edges.Add(Enumerable.Range(0, k).Select(i => i == 0 ? 1.0 : 0.0).ToArray());    // a certain outcome
        if (k >= 2)
        {
            // A rare outcome: probability 1e-4 on the first, the rest shared equally.
            edges.Add(Enumerable.Range(0, k).Select(i => i == 0 ? 1e-4 : (1 - 1e-4) / (k - 1)).ToArray());
        }

        if (SameLengthAs is { } o && AsVector(values.GetValueOrDefault(o)) is { } reference && reference.Length == k)
        {
            edges.Add(reference.ToArray());                                               // equal to the other
            int positive = Array.FindIndex(reference, x => x > 0);
            if (k >= 2 && positive >= 0)
            {
                // Zero where the other is positive: move that entry's mass to the next entry.
                var zeroed = reference.ToArray();
                int to = (positive + 1) % k;
                zeroed[to] += zeroed[positive];
                zeroed[positive] = 0;
                edges.Add(zeroed);
            }
        }

        return edges;
    }

    private static double[] Normalized(double[] p)
    {
        double sum = p.Sum();
        for (int i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }

        return p;
    }
}

/// <summary>The domain of a <c>double[]</c> of finite numbers (logits, scores) with a length in a range.</summary>
public sealed class VectorDomain : ParameterDomain
{
    internal VectorDomain(string name, int minLength, int maxLength, double min, double max) : base(name)
    {
        if (minLength < 1 || maxLength < minLength || !double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw new ArgumentException("expected 1 <= minLength <= maxLength and finite min <= max", nameof(minLength));
        }

        (MinLength, MaxLength, Min, Max) = (minLength, maxLength, min, max);
    }

    /// <summary>The fewest entries allowed.</summary>
    public int MinLength { get; }

    /// <summary>The most entries allowed.</summary>
    public int MaxLength { get; }

    /// <summary>The smallest entry allowed.</summary>
    public double Min { get; }

    /// <summary>The largest entry allowed.</summary>
    public double Max { get; }

    /// <inheritdoc />
    public override string Rule => $"a list of k numbers, {MinLength} <= k <= {MaxLength}, each in [{F(Min)}, {F(Max)}]";

    /// <inheritdoc />
    public override string? Problem(object? value, IReadOnlyDictionary<string, object?> values)
    {
        if (AsVector(value) is not { } v)
        {
            return "it is not a list of numbers";
        }

        if (v.Length < MinLength || v.Length > MaxLength)
        {
            return $"it has {v.Length} entries";
        }

        int bad = Array.FindIndex(v, x => double.IsNaN(x) || x < Min || x > Max);
        return bad >= 0 ? $"entry {bad} is {F(v[bad])}" : null;
    }

    /// <inheritdoc />
    public override object Sample(Random random, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(random);
        int k = random.Next(MinLength, Math.Min(MaxLength, Math.Max(MinLength, 8)) + 1);
        double spread = Math.Min(Max - Min, 20);
        double mid = Math.Clamp(0.0, Min + spread / 2, Max - spread / 2);
        return Enumerable.Range(0, k).Select(_ => mid + (random.NextDouble() - 0.5) * spread).ToArray();
    }

    /// <inheritdoc />
    public override IReadOnlyList<object> Edges(IReadOnlyDictionary<string, object?> values)
    {
        int k = LengthOf(Name, values) is { } own && own >= MinLength && own <= MaxLength ? own : Math.Max(MinLength, Math.Min(MaxLength, 3));
        return
        [
            Enumerable.Repeat(Math.Clamp(0.0, Min, Max), k).ToArray(),                       // all equal
            Enumerable.Range(0, k).Select(i => i == 0 ? Max : Min).ToArray(),               // one far above the rest
            Enumerable.Repeat(Math.Clamp(0.0, Min, Max), MinLength).ToArray(),               // the fewest entries
        ];
    }
}

/// <summary>The domain of an <c>int</c> index into a vector parameter: 0 &lt;= i &lt; that vector's length.</summary>
public sealed class IndexDomain : ParameterDomain
{
    internal IndexDomain(string name, string below) : base(name)
    {
        if (string.IsNullOrWhiteSpace(below))
        {
            throw new ArgumentException("below is empty, expected the name of a vector parameter", nameof(below));
        }

        Below = below;
    }

    /// <summary>The vector parameter this indexes.</summary>
    public string Below { get; }

    /// <inheritdoc />
    public override string? DependsOn => Below;

    /// <inheritdoc />
    public override string Rule => $"an index 0 <= i < the length of {Below}";

    /// <inheritdoc />
    public override string? Problem(object? value, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (value is not int i)
        {
            return "it is not an int";
        }

        int? k = LengthOf(Below, values);
        return k is null ? $"{Below} is not a list"
            : i < 0 || i >= k ? $"{Below} has {k} entries"
            : null;
    }

    /// <inheritdoc />
    public override object Sample(Random random, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(values);
        return random.Next(LengthOf(Below, values) ?? 1);
    }

    /// <inheritdoc />
    public override IReadOnlyList<object> Edges(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int k = LengthOf(Below, values) ?? 1;
        return k == 1 ? [0] : [0, k - 1];
    }
}
