using System.Runtime.Intrinsics;

namespace Workbook.Core.Tests;

public class VectorMathTests
{
    /// <summary>Distance in units in the last place between two non-negative doubles (0 when both are 0).</summary>
    private static long Ulps(double a, double b) =>
        Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    /// <summary>Grid over [-746, 0] with a fine step near the subnormal edge and near 0, plus edge values.</summary>
    private static double[] Points()
    {
        var rng = new Random(20261124);
        var xs = new List<double>();
        for (int i = 0; i <= 200_000; i++)
        {
            xs.Add(-746.0 * i / 200_000);
        }

        for (int i = 0; i < 100_000; i++)
        {
            xs.Add(-746.0 * rng.NextDouble());
            xs.Add(-rng.NextDouble() * Math.Pow(10, -rng.Next(0, 300)));  // tiny negatives: exp(x) ~ 1 - |x|
            xs.Add(-700.0 - 46.0 * rng.NextDouble());                     // the subnormal range and its edges
        }

        xs.AddRange([0.0, -0.0, -double.Epsilon, -1e-300, -708.3, -708.39641853226408, -708.4, -709.0,
            -744.44007192138121, -745.13321910194110, -745.1332191019412, -745.2, -746.0, -1000.0, -1e300,
            double.MinValue, double.NegativeInfinity, -Math.Log(2) / 32, -Math.Log(2) / 2]);
        return [.. xs];
    }

    private static void AssertClose(double x, double actual)
    {
        double expected = Math.Exp(x);
        Assert.True(Ulps(expected, actual) <= 2 || Math.Abs(actual - expected) <= 1e-15 * expected,
            $"exp({x:R}) = {actual:R}, expected {expected:R} ({Ulps(expected, actual)} ulp)");
    }

    [Fact]
    public void Vector_exp_is_within_2_ulp_of_Math_Exp_from_minus_746_to_0_including_subnormals()
    {
        double[] x = Points();
        var e = new double[x.Length];
        VectorMath.Exp(x, e);
        for (int i = 0; i < x.Length; i++)
        {
            AssertClose(x[i], e[i]);
        }
    }

    [Fact]
    public void Vector256_exp_is_within_2_ulp_of_Math_Exp_from_minus_746_to_0_including_subnormals()
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return;
        }

        double[] x = Points();
        for (int i = 0; i + 4 <= x.Length; i += 4)
        {
            Vector256<double> e = VectorMath.Exp(Vector256.Create(x.AsSpan(i, 4)));
            for (int k = 0; k < 4; k++)
            {
                AssertClose(x[i + k], e[k]);
            }
        }
    }

    [Fact]
    public void Vector512_exp_is_within_2_ulp_of_Math_Exp_from_minus_746_to_0_including_subnormals()
    {
        if (!VectorMath.Use512)
        {
            return;
        }

        double[] x = Points();
        var tab0 = VectorMath.Table0;
        var tab1 = VectorMath.Table1;
        for (int i = 0; i + 8 <= x.Length; i += 8)
        {
            Vector512<double> e = VectorMath.Exp(Vector512.Create(x.AsSpan(i, 8)), tab0, tab1);
            for (int k = 0; k < 8; k++)
            {
                AssertClose(x[i + k], e[k]);
            }
        }
    }

    [Fact]
    public void Exp_of_minus_infinity_and_below_minus_746_is_exactly_zero_and_NaN_stays_NaN()
    {
        double[] x = [double.NegativeInfinity, -746.0, -800.0, double.MinValue, double.NaN, -1.0, 0.0, -1e-320, -2.0];
        var e = new double[x.Length];
        VectorMath.Exp(x, e);
        Assert.Equal(0.0, e[0]);
        Assert.Equal(0.0, e[1]);
        Assert.Equal(0.0, e[2]);
        Assert.Equal(0.0, e[3]);
        Assert.True(double.IsNaN(e[4]));
        Assert.Equal(1.0, e[6]);
        Assert.Equal(1.0, e[7]);
        Assert.Equal(0.0, Vector256.Sum(VectorMath.Exp(Vector256.Create(double.NegativeInfinity, -746, -750, -1e308))));
        Assert.True(double.IsNaN(VectorMath.Exp(Vector256.Create(double.NaN, -1, -800, -2))[0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(1003)]
    public void Shifted_sums_match_a_scalar_loop_for_every_length(int n)
    {
        var rng = new Random(n);
        double[] x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 60 - 30).ToArray();
        if (n > 1)
        {
            x[n / 2] = double.NegativeInfinity;  // masked: contributes exactly 0
        }

        double max = x.Max();
        double expected = x.Sum(v => Math.Exp(v - max));
        var e = new double[n];
        double stored = VectorMath.ExpShifted(x, max, e);
        Assert.Equal(expected, VectorMath.SumExpShifted(x, max), expected * 1e-14);
        Assert.Equal(expected, stored, expected * 1e-14);
        Assert.True(n == 1 || e[n / 2] == 0.0);
        for (int i = 0; i < n; i++)
        {
            AssertClose(x[i] - max, e[i]);
        }
    }

    [Fact]
    public void A_shift_of_minus_infinity_gives_NaN_as_x_minus_max_does() =>
        Assert.True(double.IsNaN(VectorMath.SumExpShifted(
            [double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity,
             double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity,
             double.NegativeInfinity], double.NegativeInfinity)));

    [Fact]
    public void One_plus_exp_of_minus_abs_x_matches_Math_for_every_length_and_sign()
    {
        var rng = new Random(3);
        double[] x = Enumerable.Range(0, 1003).Select(_ => rng.NextDouble() * 1600 - 800).ToArray();
        x[0] = 0.0;
        x[1] = -0.0;
        x[2] = double.MaxValue;
        x[3] = -double.MaxValue;
        var d = new double[x.Length];
        VectorMath.OnePlusExpNegAbs(x, d);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = 1.0 + Math.Exp(-Math.Abs(x[i]));
            Assert.True(Ulps(expected, d[i]) <= 1, $"x = {x[i]:R}: {d[i]:R} vs {expected:R}");
        }
    }
}
