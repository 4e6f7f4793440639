using CsCheck;
using Workbook.Core.Coding;
using Workbook.Core.Simulation;

namespace Workbook.Core.Tests.Coding;

public class HuffmanCodeTests
{
    // Weights are exactly 0 (about one in six) or 2^-e with e in [0, 24], so that every distribution up to 40
    // symbols spans probabilities from 1 down to about 1e-9 without a filter that could reject too many cases;
    // below 1e-9, H + 1 - L would be lost to rounding. A draw of all zeros becomes the certain first symbol.
    private static readonly Gen<double[]> Dist =
        Gen.Select(Gen.Int[0, 5], Gen.Double[0.0, 24.0], (zero, e) => zero == 0 ? 0.0 : Math.Pow(2.0, -e))
            .Array[1, 40]
            .Select(w =>
            {
                if (w.All(v => v == 0))
                {
                    w[0] = 1;
                }

                double s = w.Sum();
                return w.Select(v => v / s).ToArray();
            });

    [Fact]
    public void Dyadic_distribution_gets_code_lengths_equal_to_the_surprisals()
    {
        var code = HuffmanCode.Build([0.5, 0.25, 0.125, 0.125]);
        Assert.Equal([1, 2, 3, 3], code.Lengths);
        Assert.Equal(["0", "10", "110", "111"], Enumerable.Range(0, 4).Select(code.CodeWord));
        Assert.Equal(1.75, code.ExpectedLength([0.5, 0.25, 0.125, 0.125]));
    }

    [Fact]
    public void Code_words_are_canonical_consecutive_numbers_by_length()
    {
        // lengths (2, 2, 2, 3, 3) whatever the order of the symbols
        var code = HuffmanCode.Build([0.1, 0.25, 0.25, 0.1, 0.3]);
        var words = Enumerable.Range(0, 5).Select(code.CodeWord).ToArray();
        Assert.Equal(["110", "00", "01", "111", "10"], words);
    }

    [Fact]
    public void Kraft_sum_is_one_and_no_code_word_is_a_prefix_of_another() =>
        Dist.Sample(p =>
        {
            var code = HuffmanCode.Build(p);
            var words = Enumerable.Range(0, p.Length).Where(code.HasCodeWord).Select(code.CodeWord).ToArray();
            bool prefixFree = words.All(a => words.Count(b => b.StartsWith(a, StringComparison.Ordinal)) == 1);
            return Math.Abs(code.KraftSum() - 1.0) < 1e-12 && prefixFree;
        });

    [Fact]
    public void Expected_length_lies_in_entropy_to_entropy_plus_one() =>
        Dist.Sample(p =>
        {
            double h = Information.Entropy(p, InformationUnit.Bits);
            double l = HuffmanCode.Build(p).ExpectedLength(p);
            return l >= h - 1e-12 && l < h + 1;
        });

    [Fact]
    public void Random_sequences_round_trip_bit_for_bit()
    {
        var rng = new Xoshiro256StarStar(11);
        for (int trial = 0; trial < 50; trial++)
        {
            int k = 1 + (int)(rng.NextUInt64() % 30);
            var p = RandomDistribution(ref rng, k);
            var code = HuffmanCode.Build(p);
            var live = Enumerable.Range(0, k).Where(s => p[s] > 0).ToArray();
            var symbols = Enumerable.Range(0, (int)(rng.NextUInt64() % 2000))
                .Select(_ => live[(int)(rng.NextUInt64() % (ulong)live.Length)]).ToArray();
            var bits = code.Encode(symbols);
            Assert.Equal(symbols.Sum(s => (long)code.Lengths[s]), bits.Length);
            Assert.Equal(symbols, code.Decode(bits, symbols.Length));
        }
    }

    [Fact]
    public void A_certain_symbol_costs_zero_bits_and_decodes_from_the_count()
    {
        var code = HuffmanCode.Build([0.0, 1.0, 0.0]);
        Assert.Equal([0, 0, 0], code.Lengths);
        Assert.Equal(1.0, code.KraftSum());
        var bits = code.Encode([1, 1, 1, 1]);
        Assert.Equal(0, bits.Length);
        Assert.Equal([1, 1, 1, 1], code.Decode(bits, 4));
        Assert.Equal(0.0, code.ExpectedLength([0.0, 1.0, 0.0]));
    }

    [Fact]
    public void Empty_sequence_encodes_to_the_empty_bit_string()
    {
        var code = HuffmanCode.Build([0.5, 0.5]);
        Assert.Equal(0, code.Encode([]).Length);
        Assert.Empty(code.Decode(BitString.Empty, 0));
    }

    [Fact]
    public void Zero_probability_symbols_get_no_code_word_and_cannot_be_encoded()
    {
        var code = HuffmanCode.Build([0.5, 0.0, 0.5]);
        Assert.Equal(0, code.Lengths[1]);
        Assert.False(code.HasCodeWord(1));
        var e = Assert.Throws<ArgumentException>(() => code.Encode([0, 1]));
        Assert.Equal("symbols", e.ParamName);
        Assert.Contains("symbols[1] is 1", e.Message);
        Assert.Equal(double.PositiveInfinity, code.ExpectedLength([0.25, 0.5, 0.25]));
    }

    [Theory]
    [InlineData(new double[0], "is empty")]
    [InlineData(new[] { 0.5, 0.6 }, "sums to")]
    [InlineData(new[] { 0.5, double.NaN }, "NaN")]
    [InlineData(new[] { 1.5, -0.5 }, "expected a probability")]
    public void Invalid_distribution_throws_naming_p(double[] p, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => HuffmanCode.Build(p));
        Assert.Equal("p", e.ParamName);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Code_longer_than_64_bits_is_refused_with_a_clear_error()
    {
        // p_i proportional to 2^-i for i = 1..80 needs code words of up to 79 bits
        var w = Enumerable.Range(1, 80).Select(i => Math.ScaleB(1.0, -i)).ToArray();
        double s = w.Sum();
        var e = Assert.Throws<ArgumentException>(() => HuffmanCode.Build(w.Select(v => v / s).ToArray()));
        Assert.Equal("p", e.ParamName);
        Assert.Contains("64", e.Message);
    }

    [Fact]
    public void Truncated_or_overlong_bits_are_reported()
    {
        var code = HuffmanCode.Build([0.5, 0.25, 0.25]);
        var bits = code.Encode([2, 2]); // "1111"
        Assert.Contains("fewer than 3", Assert.Throws<ArgumentException>(() => code.Decode(bits, 3)).Message);
        Assert.Contains("left over", Assert.Throws<ArgumentException>(() => code.Decode(bits, 1)).Message);
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => code.Decode(bits, -1)).ParamName);
    }

    internal static double[] RandomDistribution(ref Xoshiro256StarStar rng, int k)
    {
        var w = new double[k];
        for (int i = 0; i < k; i++)
        {
            // about one entry in six is exactly 0
            w[i] = rng.NextUInt64() % 6 == 0 ? 0.0 : rng.NextDouble() + 1e-3;
        }

        if (w.Sum() == 0)
        {
            w[0] = 1;
        }

        double s = w.Sum();
        return w.Select(v => v / s).ToArray();
    }
}
