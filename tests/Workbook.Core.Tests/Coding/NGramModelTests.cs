using Workbook.Core.Coding;

namespace Workbook.Core.Tests.Coding;

public class NGramModelTests
{
    private static readonly TextAlphabet Abc = TextAlphabet.Of("abc");

    [Fact]
    public void Order_zero_with_add_delta_is_the_smoothed_letter_frequency()
    {
        var train = Abc.ToSymbols("aaab");
        var model = NGramModel.Train(train, 3, 0, 1.0);
        Span<double> q = stackalloc double[3];
        model.Predict([], q);
        Assert.Equal([4.0 / 7, 2.0 / 7, 1.0 / 7], q.ToArray());
    }

    [Fact]
    public void Order_one_conditions_on_the_previous_symbol()
    {
        var model = NGramModel.Train(Abc.ToSymbols("abababac"), 3, 1, 0.0);
        Assert.Equal(0.75, model.Probability(Abc.ToSymbols("a"), Abc.ToSymbols("b")[0]));
        Assert.Equal(0.25, model.Probability(Abc.ToSymbols("a"), Abc.ToSymbols("c")[0]));
        Assert.Equal(1.0, model.Probability(Abc.ToSymbols("b"), Abc.ToSymbols("a")[0]));
        // the first symbol has no context: uniform, whatever the training text began with
        Assert.Equal(1.0 / 3, model.Probability([], 0), 15);
        // 'c' was never followed by anything: uniform
        Assert.Equal(1.0 / 3, model.Probability(Abc.ToSymbols("c"), 0), 15);
    }

    [Fact]
    public void Order_two_uses_the_two_previous_symbols()
    {
        var model = NGramModel.Train(Abc.ToSymbols("abcabcab"), 3, 2, 0.0);
        Assert.Equal(1.0, model.Probability(Abc.ToSymbols("ab"), Abc.ToSymbols("c")[0]), 15);
        Assert.Equal(1.0, model.Probability(Abc.ToSymbols("ca"), Abc.ToSymbols("b")[0]), 15);
    }

    [Fact]
    public void Unsmoothed_model_gives_an_unseen_pair_infinite_cross_entropy()
    {
        var model = NGramModel.Train(Abc.ToSymbols("ababab"), 3, 1, 0.0);
        var test = Abc.ToSymbols("abba");
        Assert.Equal(double.PositiveInfinity, model.CrossEntropyBits(test));
        Assert.Equal(double.PositiveInfinity, model.Perplexity(test));
        Assert.Equal(2, model.FirstImpossible(test));
        Assert.True(double.IsFinite(model.WithDelta(0.01).CrossEntropyBits(test)));
    }

    [Fact]
    public void Every_prediction_is_a_distribution()
    {
        var text = "the quick brown fox jumps over the lazy dog";
        var alphabet = TextAlphabet.Of(text);
        var symbols = alphabet.ToSymbols(text);
        var q = new double[alphabet.Count];
        foreach (int order in new[] { 0, 1, 2 })
        {
            foreach (double delta in new[] { 0.0, 1e-6, 0.5, 1e3 })
            {
                var model = NGramModel.Train(symbols, alphabet.Count, order, delta);
                for (int i = 0; i <= symbols.Length; i++)
                {
                    model.Predict(symbols.AsSpan(0, i), q);
                    Assert.Equal(1.0, q.Sum(), 12);
                    Assert.All(q, v => Assert.InRange(v, 0.0, 1.0));
                }
            }
        }
    }

    [Fact]
    public void Cross_entropy_on_the_training_text_falls_with_the_order()
    {
        var text = string.Concat(Enumerable.Repeat("she sells sea shells by the sea shore ", 20));
        var alphabet = TextAlphabet.Of(text);
        var symbols = alphabet.ToSymbols(text);
        var h = Enumerable.Range(0, 3)
            .Select(o => NGramModel.Train(symbols, alphabet.Count, o, 0.01).CrossEntropyBits(symbols)).ToArray();
        Assert.True(h[0] > h[1] && h[1] > h[2], string.Join(", ", h));
        Assert.Equal(Math.Pow(2, h[1]), NGramModel.Train(symbols, alphabet.Count, 1, 0.01).Perplexity(symbols), 9);
    }

    [Fact]
    public void Pair_distribution_is_the_normalised_bigram_counts()
    {
        var model = NGramModel.Train(Abc.ToSymbols("aab"), 3, 1, 0.0);
        var joint = model.PairDistribution();
        Assert.Equal(9, joint.Length);
        Assert.Equal(0.5, joint[0 * 3 + 0]); // a -> a
        Assert.Equal(0.5, joint[0 * 3 + 1]); // a -> b
        Assert.Equal(1.0, joint.Sum());
        Assert.Throws<InvalidOperationException>(() => NGramModel.Train(Abc.ToSymbols("a"), 3, 0, 0).PairDistribution());
    }

    [Theory]
    [InlineData(3, 3, 1.0, "order")]
    [InlineData(-1, 3, 1.0, "order")]
    [InlineData(1, 0, 1.0, "symbolCount")]
    [InlineData(1, 3, -0.5, "delta")]
    [InlineData(1, 3, double.NaN, "delta")]
    [InlineData(1, 3, double.PositiveInfinity, "delta")]
    public void Invalid_arguments_throw_naming_them(int order, int k, double delta, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => NGramModel.Train([0, 1], k, order, delta));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Out_of_range_and_empty_inputs_are_refused()
    {
        Assert.Equal("training", Assert.Throws<ArgumentException>(() => NGramModel.Train([0, 5], 3, 1, 1)).ParamName);
        var model = NGramModel.Train([0, 1], 3, 1, 1);
        Assert.Equal("symbols", Assert.Throws<ArgumentException>(() => model.CrossEntropyBits([])).ParamName);
        Assert.Equal("symbols", Assert.Throws<ArgumentException>(() => model.CrossEntropyBits([7])).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => Abc.ToSymbols("abz")).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => TextAlphabet.Of("")).ParamName);
    }

    [Fact]
    public void Alphabet_round_trips_text()
    {
        const string text = "Call me Ishmael—some years ago.";
        var alphabet = TextAlphabet.Of(text);
        Assert.Equal(text, alphabet.ToText(alphabet.ToSymbols(text)));
        Assert.Equal(text.Distinct().Count(), alphabet.Count);
    }
}
