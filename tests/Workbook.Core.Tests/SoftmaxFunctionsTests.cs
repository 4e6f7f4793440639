using CsCheck;

namespace Workbook.Core.Tests;

public class SoftmaxFunctionsTests
{
    private static readonly Gen<double[]> Logits = Gen.Double[-50, 50].Array[1, 40];

    [Fact]
    public void Softmax_is_invariant_to_shifting_every_logit() =>
        Gen.Select(Logits, Gen.Double[-1e3, 1e3]).Sample(t =>
        {
            var a = SoftmaxFunctions.Softmax(t.Item1);
            var b = SoftmaxFunctions.Softmax(t.Item1.Select(v => v + t.Item2).ToArray());
            return a.Zip(b).All(z => Math.Abs(z.First - z.Second) <= 1e-9 * Math.Max(1e-300, z.First) + 1e-15);
        });

    [Fact]
    public void LogSoftmax_equals_log_of_softmax_where_finite() =>
        Logits.Sample(x =>
        {
            var s = SoftmaxFunctions.Softmax(x);
            var l = SoftmaxFunctions.LogSoftmax(x);
            return s.Zip(l).All(z => z.First == 0 || Math.Abs(Math.Log(z.First) - z.Second) <= 1e-12 * Math.Max(1, Math.Abs(z.Second)));
        });

    [Fact]
    public void Softmax_sums_to_one_and_LogSumExp_bounds_hold() =>
        Logits.Sample(x => Math.Abs(SoftmaxFunctions.Softmax(x).Sum() - 1) < 1e-13 &&
                           SoftmaxFunctions.LogSumExp(x) >= x.Max() &&
                           SoftmaxFunctions.LogSumExp(x) <= x.Max() + Math.Log(x.Length) + 1e-12);

    [Fact]
    public void Uniform_logits_give_minus_log_C_even_at_minus_1e300()
    {
        var l = SoftmaxFunctions.LogSoftmax([-1e300, -1e300, -1e300, -1e300]);
        Assert.All(l, v => Assert.Equal(-Math.Log(4), v, 15));
        Assert.Equal(1e4 + Math.Log(3), SoftmaxFunctions.LogSumExp([1e4, 1e4, 1e4]), 10);
    }

    [Fact]
    public void Huge_logits_do_not_overflow_and_masked_logits_get_zero_probability()
    {
        var s = SoftmaxFunctions.Softmax([1e4, -1e4, double.NegativeInfinity]);
        Assert.Equal([1.0, 0.0, 0.0], s);
        var l = SoftmaxFunctions.LogSoftmax([1e4, -1e4, double.NegativeInfinity]);
        Assert.Equal(double.NegativeInfinity, l[2]);
        Assert.Equal(-2e4, l[1]);
    }

    [Fact]
    public void An_all_masked_row_gives_nan_by_documented_convention_and_LogSumExp_gives_minus_infinity()
    {
        var s = SoftmaxFunctions.Softmax([double.NegativeInfinity, double.NegativeInfinity]);
        Assert.All(s, v => Assert.True(double.IsNaN(v)));
        Assert.Equal(double.NegativeInfinity, SoftmaxFunctions.LogSumExp([double.NegativeInfinity]));
    }

    [Fact]
    public void Temperature_divides_the_logits()
    {
        var a = SoftmaxFunctions.Softmax([1.0, 2.0, 4.0], temperature: 2.0);
        var b = SoftmaxFunctions.Softmax([0.5, 1.0, 2.0]);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(b[i], a[i], 15);
        }
    }

    [Fact]
    public void Row_wise_conveniences_agree_with_the_vector_form()
    {
        var m = new double[,] { { 1, 2, 3 }, { -5, 0, 5 } };
        var s = SoftmaxFunctions.Softmax(m);
        var v = SoftmaxFunctions.Softmax([-5.0, 0, 5]);
        Assert.Equal(v[2], s[1, 2], 15);
        var mm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(m);
        Assert.Equal(v[0], SoftmaxFunctions.LogSoftmax(mm).Map(Math.Exp)[1, 0], 15);
    }

    [Fact]
    public void SoftMax_ThrowsForEmptyInput() =>
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SoftmaxFunctions.Softmax([])).ParamName);

    [Fact]
    public void Softmax_names_the_nan_logit_and_its_position()
    {
        var e = Assert.Throws<ArgumentException>(() => SoftmaxFunctions.Softmax([1.0, double.NaN]));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("x[0, 1] is NaN", e.Message);
    }

    [Fact]
    public void Softmax_rejects_non_positive_temperature_and_ragged_batches()
    {
        Assert.Equal("temperature", Assert.Throws<ArgumentException>(() => SoftmaxFunctions.Softmax([1.0], 0.0)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => SoftmaxFunctions.SoftmaxRows(new double[5], 2, new double[5]));
        Assert.Contains("not a multiple", e.Message);
    }
}
