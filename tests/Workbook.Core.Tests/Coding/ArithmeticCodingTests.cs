using Workbook.Core.Coding;
using Workbook.Core.Simulation;

namespace Workbook.Core.Tests.Coding;

public class ArithmeticCodingTests
{
    private static int[] Draw(ref Xoshiro256StarStar rng, double[] p, int n)
    {
        var alias = new AliasTable(p);
        var symbols = new int[n];
        for (int i = 0; i < n; i++)
        {
            symbols[i] = alias.Sample(ref rng);
        }

        return symbols;
    }

    [Fact]
    public void Static_model_round_trips_and_stays_within_two_bits_of_the_surprisal()
    {
        var rng = new Xoshiro256StarStar(2024);
        for (int trial = 0; trial < 60; trial++)
        {
            int k = 1 + (int)(rng.NextUInt64() % 40);
            var p = HuffmanCodeTests.RandomDistribution(ref rng, k);
            // the model: p itself, or another distribution positive wherever p is
            var q = trial % 2 == 0 ? p : Mix(p, HuffmanCodeTests.RandomDistribution(ref rng, k));
            int n = (int)(rng.NextUInt64() % 5000);
            var symbols = Draw(ref rng, p, n);
            var bits = ArithmeticCoding.Encode(symbols, q);
            double ideal = ArithmeticCoding.IdealLength(symbols, q);
            Assert.InRange(bits.Length, ideal - 2, ideal + 2);
            Assert.Equal(symbols, ArithmeticCoding.Decode(bits, n, q));
        }
    }

    [Fact]
    public void A_million_draws_cost_their_surprisal_within_two_bits()
    {
        var rng = new Xoshiro256StarStar(5);
        double[] p = [0.5, 0.25, 0.125, 0.125], q = [0.4, 0.4, 0.1, 0.1];
        var symbols = Draw(ref rng, p, 1_000_000);
        foreach (var model in new[] { p, q })
        {
            var bits = ArithmeticCoding.Encode(symbols, model);
            double ideal = ArithmeticCoding.IdealLength(symbols, model);
            Assert.InRange(bits.Length, ideal - 2, ideal + 2);
            Assert.Equal(symbols, ArithmeticCoding.Decode(bits, symbols.Length, model));
        }
    }

    [Fact]
    public void Adaptive_counts_round_trip_within_two_bits_of_their_own_surprisal()
    {
        var rng = new Xoshiro256StarStar(77);
        for (int trial = 0; trial < 40; trial++)
        {
            int k = 1 + (int)(rng.NextUInt64() % 100);
            var p = HuffmanCodeTests.RandomDistribution(ref rng, k);
            int n = (int)(rng.NextUInt64() % 20000);
            var symbols = Draw(ref rng, p, n);
            var bits = ArithmeticCoding.EncodeAdaptive(symbols, k);
            double ideal = ArithmeticCoding.IdealLengthAdaptive(symbols, k);
            Assert.InRange(bits.Length, ideal - 2, ideal + 2);
            Assert.Equal(symbols, ArithmeticCoding.DecodeAdaptive(bits, n, k));
        }
    }

    [Fact]
    public void Extreme_models_round_trip_within_two_bits_of_the_coded_model()
    {
        // a near-certain symbol (long runs of narrow intervals: many pending underflow bits) and a rare one
        double[] q = [1 - 1e-7, 1e-7];
        var mixed = Enumerable.Range(0, 100_000).Select(i => i % 25_000 == 24_999 ? 1 : 0).ToArray();
        var rare = Enumerable.Repeat(1, 1000).ToArray();   // about 23 bits each
        foreach (var symbols in new[] { mixed, rare })
        {
            var bits = ArithmeticCoding.Encode(symbols, q);
            double ideal = ArithmeticCoding.CodedModelLength(symbols, q);
            Assert.InRange(bits.Length, ideal - 2, ideal + 2);
            Assert.Equal(symbols, ArithmeticCoding.Decode(bits, symbols.Length, q));
            // and the coded model is within its documented distance of q: 1.5e-9 (1/q_s + m) bits per symbol
            double allowance = symbols.Length * 1.5e-9 * (1e7 + 2);
            Assert.InRange(ideal, ArithmeticCoding.IdealLength(symbols, q) - allowance,
                ArithmeticCoding.IdealLength(symbols, q) + allowance);
        }
    }

    [Fact]
    public void A_model_with_a_minimal_frequency_stays_within_two_bits_plus_the_rounding_bound()
    {
        // q_1 = 1e-12 is quantised to frequency 1: each occurrence may cost up to a bit more than -log2 q̂
        double[] q = [1 - 1e-12, 1e-12];
        var symbols = Enumerable.Range(0, 3000).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        var bits = ArithmeticCoding.Encode(symbols, q);
        double coded = ArithmeticCoding.CodedModelLength(symbols, q);
        double bound = ArithmeticCoding.RoundingBound(symbols, q);
        Assert.InRange(bound, 900, 1000.01);   // about a bit per rare symbol, almost nothing for the others
        Assert.InRange(bits.Length, coded - 2 - bound, coded + 2 + bound);
        Assert.Equal(symbols, ArithmeticCoding.Decode(bits, symbols.Length, q));
        Assert.True(ArithmeticCoding.RoundingBound(symbols.Where(s => s == 0).ToArray(), q) < 1e-3);
    }

    [Fact]
    public void Dyadic_models_are_coded_exactly()
    {
        double[] q = [0.5, 0.25, 0.125, 0.0625, 0.0625];
        var table = FrequencyTable.FromProbabilities(q);
        Assert.Equal(q, Enumerable.Range(0, q.Length).Select(table.Probability));
        int[] symbols = [0, 1, 2, 3, 4, 4, 0];
        Assert.Equal(ArithmeticCoding.IdealLength(symbols, q), ArithmeticCoding.CodedModelLength(symbols, q));
    }

    [Fact]
    public void Empty_sequence_costs_zero_bits()
    {
        Assert.Equal(0, ArithmeticCoding.Encode([], [0.5, 0.5]).Length);
        Assert.Empty(ArithmeticCoding.Decode(BitString.Empty, 0, [0.5, 0.5]));
        Assert.Equal(0, ArithmeticCoding.EncodeAdaptive([], 3).Length);
    }

    [Fact]
    public void A_single_symbol_alphabet_costs_at_most_two_bits_in_all()
    {
        var symbols = new int[1000];
        var bits = ArithmeticCoding.Encode(symbols, [1.0]);
        Assert.InRange(bits.Length, 0, 2);
        Assert.Equal(symbols, ArithmeticCoding.Decode(bits, 1000, [1.0]));
        bits = ArithmeticCoding.EncodeAdaptive(symbols, 1);
        Assert.InRange(bits.Length, 0, 2);
        Assert.Equal(symbols, ArithmeticCoding.DecodeAdaptive(bits, 1000, 1));
    }

    [Fact]
    public void A_symbol_of_probability_zero_cannot_be_coded()
    {
        var e = Assert.Throws<ArgumentException>(() => ArithmeticCoding.Encode([0, 2], [0.5, 0.5, 0.0]));
        Assert.Equal("symbols", e.ParamName);
        Assert.Contains("symbols[1] is 2", e.Message);
        Assert.Equal(double.PositiveInfinity, ArithmeticCoding.IdealLength([0, 2], [0.5, 0.5, 0.0]));
    }

    [Theory]
    [InlineData(new double[0], "is empty")]
    [InlineData(new[] { 0.5, 0.6 }, "sums to")]
    [InlineData(new[] { 0.5, double.NaN }, "NaN")]
    [InlineData(new[] { double.PositiveInfinity, 0.5 }, "expected a probability")]
    public void Invalid_model_throws_naming_q(double[] q, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => ArithmeticCoding.Encode([0], q));
        Assert.Equal("q", e.ParamName);
        Assert.Contains(problem, e.Message);
        Assert.Equal("q", Assert.Throws<ArgumentException>(() => ArithmeticCoding.Decode(BitString.Empty, 1, q)).ParamName);
    }

    [Fact]
    public void Out_of_range_symbols_and_counts_are_refused()
    {
        Assert.Equal("symbols", Assert.Throws<ArgumentException>(() => ArithmeticCoding.Encode([3], [0.5, 0.5])).ParamName);
        Assert.Equal("symbols", Assert.Throws<ArgumentException>(() => ArithmeticCoding.EncodeAdaptive([-1], 2)).ParamName);
        Assert.Equal("symbolCount", Assert.Throws<ArgumentException>(() => ArithmeticCoding.EncodeAdaptive([0], 0)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => ArithmeticCoding.Decode(BitString.Empty, -1, [1.0])).ParamName);
    }

    [Fact]
    public void Streaming_encoder_and_decoder_with_changing_tables_round_trip()
    {
        // the table changes after every symbol (an adaptive model built by hand), and the encoder is fed one by one
        var rng = new Xoshiro256StarStar(3);
        var symbols = Enumerable.Range(0, 3000).Select(_ => (int)(rng.NextUInt64() % 5)).ToArray();
        var writer = new BitWriter();
        var encoder = new ArithmeticEncoder(writer);
        var table = FrequencyTable.FromCounts([1, 2, 3, 4, 5]);
        foreach (int s in symbols)
        {
            encoder.Encode(s, table);
            table.Increment(s, 7);
        }

        encoder.Finish();
        Assert.Throws<InvalidOperationException>(() => encoder.Encode(0, table));
        var decoder = new ArithmeticDecoder(writer.ToBitString());
        table = FrequencyTable.FromCounts([1, 2, 3, 4, 5]);
        foreach (int s in symbols)
        {
            Assert.Equal(s, decoder.Decode(table));
            table.Increment(s, 7);
        }
    }

    [Fact]
    public void Quantised_frequencies_keep_every_positive_symbol_and_stay_under_the_limit()
    {
        var table = FrequencyTable.FromProbabilities([1e-15, 0.0, 1 - 1e-15]);
        Assert.True(table.Frequency(0) >= 1);
        Assert.Equal(0u, table.Frequency(1));
        Assert.True(table.Total <= FrequencyTable.MaxTotal);
        var slightlyOver = FrequencyTable.FromProbabilities([0.5 + 4e-10, 0.5 + 4e-10]);
        Assert.True(slightlyOver.Total <= FrequencyTable.MaxTotal);
    }

    [Fact]
    public void Adaptive_table_halves_its_counts_before_passing_the_limit()
    {
        var table = FrequencyTable.FromCounts([FrequencyTable.MaxTotal - 10, 10]);
        table.Increment(1, 100);
        Assert.True(table.Total <= FrequencyTable.MaxTotal);
        Assert.Equal(105u, table.Frequency(1));
    }

    [Fact]
    public void A_sequence_model_drives_the_coder_and_round_trips()
    {
        var rng = new Xoshiro256StarStar(9);
        var training = Enumerable.Range(0, 20000).Select(_ => (int)(rng.NextUInt64() % 7)).ToArray();
        var model = NGramModel.Train(training, 7, 2, 0.5);
        var test = Enumerable.Range(0, 3000).Select(_ => (int)(rng.NextUInt64() % 7)).ToArray();
        var bits = ArithmeticCoding.Encode(test, model);
        double ideal = ArithmeticCoding.IdealLength(test, model);
        double coded = ArithmeticCoding.CodedModelLength(test, model);
        Assert.InRange(bits.Length, coded - 2, coded + 2);
        Assert.InRange(coded, ideal - 1e-3, ideal + 1e-3);
        Assert.Equal(test, ArithmeticCoding.Decode(bits, test.Length, model));
        Assert.Equal(ideal / test.Length, model.CrossEntropyBits(test), 1e-9);
    }

    private static double[] Mix(double[] p, double[] r) => p.Zip(r, (a, b) => 0.7 * a + 0.3 * b).ToArray();
}
