using CsCheck;

namespace Workbook.Core.Tests;

/// <summary>Properties, special values and bad input of the losses (the reference vectors are in LossReferenceTests).</summary>
public class LossesTests
{
    private static readonly Gen<(double[] X, int C, int[] T)> Batch =
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 6]).SelectMany(rc =>
            Gen.Select(Gen.Double[-8, 8].Array[rc.Item1 * rc.Item2], Gen.Int[0, rc.Item2 - 1].Array[rc.Item1])
                .Select(t => (t.Item1, rc.Item2, t.Item2)));

    private static void CentralDifference(Func<double[], double> f, double[] x, double[] analytic, double tol = 1e-6)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double h = 1e-5 * Math.Max(1, Math.Abs(x[i]));
            var a = (double[])x.Clone();
            var b = (double[])x.Clone();
            a[i] += h;
            b[i] -= h;
            double fd = (f(a) - f(b)) / (2 * h);
            Assert.True(Math.Abs(fd - analytic[i]) <= tol * Math.Max(1, Math.Abs(fd)), $"[{i}] fd {fd} analytic {analytic[i]}");
        }
    }

    [Fact]
    public void Cross_entropy_gradient_matches_central_differences_with_weights_and_smoothing() =>
        Batch.Sample(b =>
        {
            double[] w = Enumerable.Range(0, b.C).Select(i => 0.5 + i).ToArray();
            var g = new double[b.X.Length];
            Losses.CrossEntropyGradient(b.X, b.C, b.T, g, Reduction.Mean, w, labelSmoothing: 0.1);
            CentralDifference(x => Losses.CrossEntropy(x, b.C, b.T, Reduction.Mean, w, labelSmoothing: 0.1), b.X, g);
        }, iter: 50);

    [Fact]
    public void Soft_target_gradient_matches_central_differences() =>
        Batch.Sample(b =>
        {
            var t = new double[b.X.Length];
            for (int r = 0; r < b.T.Length; r++)
            {
                for (int c = 0; c < b.C; c++)
                {
                    t[r * b.C + c] = 1.0 / b.C;
                }
            }

            var g = new double[b.X.Length];
            Losses.CrossEntropySoftGradient(b.X, b.C, t, g, Reduction.Sum);
            CentralDifference(x => Losses.CrossEntropySoft(x, b.C, t, Reduction.Sum), b.X, g);
        }, iter: 50);

    [Fact]
    public void Bce_with_logits_gradient_matches_central_differences_with_pos_weight() =>
        Gen.Double[-10, 10].Array[4].Sample(x =>
        {
            double[] y = [0, 1, 0.3, 1];
            double[] pw = [2.0, 0.5];
            var g = new double[4];
            Losses.BinaryCrossEntropyWithLogitsGradient(x, y, g, Reduction.Mean, posWeight: pw);
            CentralDifference(v => Losses.BinaryCrossEntropyWithLogits(v, y, Reduction.Mean, posWeight: pw), x, g);
        }, iter: 50);

    [Fact]
    public void Bce_and_categorical_gradients_match_central_differences_away_from_the_clamp()
    {
        double[] p = [0.2, 0.7, 0.5];
        double[] y = [1, 0, 0.25];
        var g = new double[3];
        Losses.BinaryCrossEntropyGradient(p, y, g);
        CentralDifference(v => Losses.BinaryCrossEntropy(v, y), p, g);

        double[] q = [0.2, 0.3, 0.5];
        double[] t = [0.1, 0.0, 0.9];
        var gq = new double[3];
        Losses.CategoricalCrossEntropySoftGradient(q, 3, t, gq, Reduction.Mean, InformationUnit.Bits);
        // Unconstrained derivative: perturb q freely (skip the sum check with a loose tolerance).
        CentralDifference(v => Losses.CategoricalCrossEntropySoft(v, 3, t, Reduction.Mean, InformationUnit.Bits, 1e-3), q, gq);
    }

    [Fact]
    public void Nll_of_log_softmax_equals_cross_entropy_from_logits() =>
        Batch.Sample(b =>
        {
            var lp = new double[b.X.Length];
            SoftmaxFunctions.LogSoftmaxRows(b.X, b.C, lp);
            return Math.Abs(Losses.NllLoss(lp, b.C, b.T) - Losses.CrossEntropy(b.X, b.C, b.T)) < 1e-12 * (1 + Losses.CrossEntropy(b.X, b.C, b.T));
        });

    [Fact]
    public void Float32_cross_entropy_agrees_with_float64() =>
        Batch.Sample(b => Math.Abs(Losses.CrossEntropy(Array.ConvertAll(b.X, v => (float)v), b.C, b.T) -
                                   Losses.CrossEntropy(b.X, b.C, b.T)) < 1e-4 * (1 + Losses.CrossEntropy(b.X, b.C, b.T)));

    [Fact]
    public void Uniform_logits_give_log_C_for_any_class_count() =>
        Gen.Int[1, 2000].Sample(c => Math.Abs(Losses.CrossEntropy(new double[c], 0) - Math.Log(c)) < 1e-12 * (1 + Math.Log(c)));

    [Fact]
    public void The_course_example_costs_0_3677_bits()
    {
        double bits = Losses.CategoricalCrossEntropy([0.775, 0.116, 0.039, 0.070], 0, InformationUnit.Bits);
        Assert.Equal(-Math.Log2(0.775), bits, 14);
        Assert.Equal(0.3677, bits, 4);
    }

    [Fact]
    public void Logits_of_plus_minus_1e4_and_minus_1e300_stay_finite()
    {
        Assert.Equal(2e4, Losses.CrossEntropy([1e4, -1e4], 1), 8);
        Assert.Equal(Math.Log(2), Losses.CrossEntropy([-1e300, -1e300], 1), 15);
        Assert.Equal(0.0, Losses.BinaryCrossEntropyWithLogits(1e4, 1));
        Assert.Equal(1e4, Losses.BinaryCrossEntropyWithLogits(1e4, 0));
    }

    [Fact]
    public void Bce_clamps_each_log_term_at_minus_100_by_torch_convention()
    {
        Assert.Equal(-Losses.BceLogClamp, Losses.BinaryCrossEntropy(0.0, 1.0));
        Assert.Equal(0.0, Losses.BinaryCrossEntropy(1.0, 1.0));
        var g = new double[1];
        Losses.BinaryCrossEntropyGradient([0.0], [1.0], g);
        Assert.Equal(-1.0 / Losses.BceGradientFloor, g[0], 1);
    }

    [Fact]
    public void CrossEntropy_names_targets_when_a_label_is_out_of_range()
    {
        var e = Assert.Throws<ArgumentException>(() => Losses.CrossEntropy([1.0, 2.0, 3.0, 4.0], 2, [0, 2]));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("targets[1] is 2", e.Message);
    }

    [Fact]
    public void CrossEntropy_names_weight_when_it_has_the_wrong_length()
    {
        var e = Assert.Throws<ArgumentException>(() => Losses.CrossEntropy([1.0, 2.0], 2, [0], Reduction.Mean, [1.0]));
        Assert.Equal("weight", e.ParamName);
        Assert.Contains("one weight per class", e.Message);
    }

    [Fact]
    public void CrossEntropy_names_the_nan_logit()
    {
        var e = Assert.Throws<ArgumentException>(() => Losses.CrossEntropy([1.0, 2.0, double.NaN, 0.0], 2, [0, 1]));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("logits[1, 0] is NaN", e.Message);
        var f = Assert.Throws<ArgumentException>(() => Losses.CrossEntropy([1.0f, float.NaN], 2, [0]));
        Assert.Equal("logits", f.ParamName);
    }

    [Fact]
    public void Losses_throw_for_empty_input_mismatched_lengths_and_bad_probabilities()
    {
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Array.Empty<double>(), 2, Array.Empty<int>())).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Losses.BinaryCrossEntropy([0.5, 0.5], [1.0])).ParamName);
        Assert.Equal("p", Assert.Throws<ArgumentException>(() => Losses.BinaryCrossEntropy([1.5], [1.0])).ParamName);
        var e = Assert.Throws<ArgumentException>(() => Losses.CategoricalCrossEntropy([0.5, 0.43], 0));
        Assert.Equal("probabilities", e.ParamName);
        Assert.Contains("row 0 sums to 0.9299", e.Message);
        Assert.Equal("targetProbabilities",
            Assert.Throws<ArgumentException>(() => Losses.CrossEntropySoft([1.0, 2.0], [0.5, 0.6])).ParamName);
        Assert.Equal("logits",
            Assert.Throws<ArgumentException>(() => Losses.BinaryCrossEntropyWithLogits(double.NaN, 1)).ParamName);
    }

    [Fact]
    public void Gradients_refuse_reduction_none()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Losses.CrossEntropyGradient([1.0, 2.0], 2, [0], new double[2], Reduction.None));
        Assert.Equal("reduction", e.ParamName);
    }

    [Fact]
    public void Array_and_matrix_conveniences_agree_with_the_span_form()
    {
        var m = new double[,] { { 1, 2, 3 }, { 0, 0, 9 } };
        double span = Losses.CrossEntropy([1.0, 2, 3, 0, 0, 9], 3, [2, 0]);
        Assert.Equal(span, Losses.CrossEntropy(m, [2, 0]));
        Assert.Equal(span, Losses.CrossEntropy(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(m), [2, 0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(37)]
    [InlineData(2049)]
    [InlineData(5000)]
    public void BinaryCrossEntropyWithLogits_vector_path_matches_the_scalar_formula_per_element(int n)
    {
        var rng = new Random(n);
        double[] special = [0.0, -0.0, 1e4, -1e4, 40, -40, 745, -745, 1e-300, -1e-300];
        var x = Enumerable.Range(0, n).Select(i => i < special.Length ? special[i] : rng.NextDouble() * 80 - 40).ToArray();
        var y = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? rng.NextDouble() : i % 3 - 1.0).ToArray();
        var losses = new double[n];
        Losses.BinaryCrossEntropyWithLogitsPerElement(x, y, losses);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double expected = (1 - y[i]) * x[i] + Math.Max(-x[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(x[i])));
            // The terms are of size |x|, so an ulp of exp(-|x|) moves the loss by about ulp(|x|).
            Assert.Equal(expected, losses[i], (Math.Abs(x[i]) + 1) * 1e-15);
            sum += losses[i];
        }

        Assert.Equal(sum, Losses.BinaryCrossEntropyWithLogits(x, y, Reduction.Sum), Math.Abs(sum) * 1e-13);
    }

    [Theory]
    [InlineData(Reduction.Mean, InformationUnit.Nats)]
    [InlineData(Reduction.Sum, InformationUnit.Bits)]
    public void CategoricalCrossEntropyGradient_matches_finite_differences_and_is_zero_off_the_targets(
        Reduction reduction, InformationUnit unit)
    {
        double[] q = [0.2, 0.5, 0.3, 0.6, 0.1, 0.3];
        int[] targets = [1, 2];
        var gradient = new double[q.Length];

        Losses.CategoricalCrossEntropyGradient(q, 3, targets, gradient, reduction, unit);

        const double h = 1e-6;
        for (int i = 0; i < q.Length; i++)
        {
            double[] up = [.. q], down = [.. q];
            up[i] += h;
            down[i] -= h;
            double numeric = (Losses.CategoricalCrossEntropy(up, 3, targets, reduction, unit, tolerance: 1e-3) -
                              Losses.CategoricalCrossEntropy(down, 3, targets, reduction, unit, tolerance: 1e-3)) / (2 * h);
            Assert.Equal(numeric, gradient[i], 1e-6);
        }

        Assert.Equal(0.0, gradient[0]);
        Assert.Equal(-1.0 / (0.5 * (reduction == Reduction.Mean ? 2 : 1) * (unit == InformationUnit.Bits ? Math.Log(2) : 1)), gradient[1], 1e-15);
    }

    [Fact]
    public void CategoricalCrossEntropyGradient_refuses_a_gradient_of_the_wrong_length_and_reduction_None()
    {
        double[] q = [0.5, 0.5];

        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() =>
            Losses.CategoricalCrossEntropyGradient(q, 2, [0], new double[1])).ParamName);
        Assert.Equal("reduction", Assert.Throws<ArgumentException>(() =>
            Losses.CategoricalCrossEntropyGradient(q, 2, [0], new double[2], Reduction.None)).ParamName);
    }
}
