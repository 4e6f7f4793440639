using Workbook.Core.Coding;

namespace Workbook.Core.Tests.Coding;

public class TypicalSetTests
{
    [Fact]
    public void Small_case_matches_brute_force_enumeration()
    {
        const int n = 12;
        const double p = 0.3, eps = 0.15;
        double h = Information.Entropy([p, 1 - p], InformationUnit.Bits);
        long size = 0;
        double prob = 0;
        for (int x = 0; x < 1 << n; x++)
        {
            int k = System.Numerics.BitOperations.PopCount((uint)x);
            double logP = k * Math.Log2(p) + (n - k) * Math.Log2(1 - p);
            if (Math.Abs(-logP / n - h) <= eps)
            {
                size++;
                prob += Math.Pow(2, logP);
            }
        }

        var t = TypicalSet.Bernoulli(p, n, eps);
        Assert.Equal(Math.Log2(size), t.Log2Size, 10);
        Assert.Equal(prob, t.Probability, 12);
        Assert.Equal(n * h, t.NH, 12);
    }

    [Theory]
    [InlineData(0.1, 100, 0.1)]
    [InlineData(0.1, 1000, 0.05)]
    [InlineData(0.5, 1000, 0.01)]
    [InlineData(0.01, 100000, 0.02)]
    public void Size_and_probability_obey_the_aep_bounds(double p, int n, double eps)
    {
        var t = TypicalSet.Bernoulli(p, n, eps);
        Assert.True(t.Log2Size <= n * (t.EntropyBits + eps) + 1e-9);
        double var = p * (1 - p) * Math.Pow(Math.Log2((1 - p) / p), 2);
        Assert.True(t.Probability >= 1 - var / (n * eps * eps) - 1e-12);
        // all class probabilities add to 1
        double log2Total = t.Classes.Max(c => c.Log2Probability);
        double total = t.Classes.Sum(c => Math.Pow(2, c.Log2Probability - log2Total)) * Math.Pow(2, log2Total);
        Assert.Equal(1.0, total, 9);
    }

    [Fact]
    public void The_most_probable_sequence_is_not_typical_for_a_bent_coin()
    {
        var t = TypicalSet.Bernoulli(0.1, 1000, 0.05);
        Assert.False(t.AllZerosTypical);
        Assert.Equal(0, t.Classes.MaxBy(c => -c.SurprisalPerSymbol)!.Ones);
        Assert.True(t.Classes[100].Typical);
    }

    [Fact]
    public void Probability_of_the_typical_set_grows_with_n()
    {
        var probs = new[] { 100, 1000, 10000 }.Select(n => TypicalSet.Bernoulli(0.1, n, 0.05).Probability).ToArray();
        Assert.True(probs[0] < probs[1] && probs[1] < probs[2], string.Join(", ", probs));
    }

    [Fact]
    public void A_certain_coin_has_one_typical_sequence()
    {
        foreach (double p in new[] { 0.0, 1.0 })
        {
            var t = TypicalSet.Bernoulli(p, 50, 0.0);
            Assert.Equal(0.0, t.Log2Size);
            Assert.Equal(1.0, t.Probability);
            Assert.Equal(0.0, t.EntropyBits);
            Assert.Single(t.Classes, c => c.Typical);
        }
    }

    [Fact]
    public void Zero_epsilon_keeps_only_exact_entropy_classes()
    {
        var t = TypicalSet.Bernoulli(0.5, 20, 0.0);
        Assert.Equal(20.0, t.Log2Size, 10); // every sequence of a fair coin has surprisal exactly 1 bit
        Assert.Equal(1.0, t.Probability, 12);
    }

    [Theory]
    [InlineData(-0.1, 10, 0.1, "p")]
    [InlineData(double.NaN, 10, 0.1, "p")]
    [InlineData(0.5, 0, 0.1, "n")]
    [InlineData(0.5, 10, -1, "epsilon")]
    [InlineData(0.5, 10, double.NaN, "epsilon")]
    public void Invalid_arguments_throw_naming_them(double p, int n, double eps, string name) =>
        Assert.Equal(name, Assert.Throws<ArgumentException>(() => TypicalSet.Bernoulli(p, n, eps)).ParamName);
}
