using Normal = MathNet.Numerics.Distributions.Normal;
using Workbook.Core.Simulation;

namespace Workbook.Core.Tests.Simulation;

public class BinomialTests
{
    [Theory]
    [InlineData(20, 0.3, 1UL)]      // n p = 6: inversion
    [InlineData(100, 0.3, 2UL)]     // n p = 30: BTRS
    [InlineData(60, 0.2, 3UL)]      // n p = 12: BTRS near the switch
    [InlineData(1000, 0.7, 4UL)]    // reflected BTRS
    [InlineData(40, 0.999, 5UL)]    // reflected inversion
    [InlineData(5000, 0.01, 6UL)]   // n p = 50: skewed BTRS
    public void Small_n_draws_fit_the_exact_pmf(int n, double p, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        const int samples = 200_000;
        var hist = new double[n + 1];
        for (int i = 0; i < samples; i++)
        {
            hist[Binomial.Sample(ref rng, n, p)]++;
        }

        var expected = Stats.BinomialPmf(n, p).Select(x => x * samples).ToList();
        Stats.AssertChiSquareFits(hist, expected, $"Binomial({n}, {p})");
    }

    [Theory]
    [InlineData(1_000_000_000_000L, 0.3)]
    [InlineData(1_000_000_000_000L, 0.5)]
    [InlineData(1_000_000_000_000L, 1e-11)]    // n p = 10, just into BTRS
    [InlineData(1_000_000_000_000L, 3e-12)]    // n p = 3, inversion
    [InlineData(1_000_000_000_000L, 1e-6)]
    [InlineData(10_000_000L, 0.9)]
    public void Large_n_mean_and_variance_match(long n, double p)
    {
        var rng = new Xoshiro256StarStar((ulong)(n ^ BitConverter.DoubleToInt64Bits(p)));
        const int s = 40_000;
        double mean = n * p, variance = n * p * (1 - p);
        double sum = 0, sum2 = 0;
        for (int i = 0; i < s; i++)
        {
            double d = Binomial.Sample(ref rng, n, p) - mean;   // centred: no cancellation at 1e12
            sum += d;
            sum2 += d * d;
        }

        double m = sum / s;
        double v = sum2 / s - m * m;
        Assert.True(Math.Abs(m) <= 5 * Math.Sqrt(variance / s), $"mean off by {m} (sd {Math.Sqrt(variance / s)})");
        // Var of the sample variance ~ (mu4 - sigma^4)/s ~ 2 sigma^4 / s (+ kurtosis term for small n p).
        double kurtExcess = (1 - 6 * p * (1 - p)) / variance;
        double sdVar = variance * Math.Sqrt((2 + kurtExcess) / s);
        Assert.True(Math.Abs(v - variance) <= 5 * sdVar, $"variance {v} vs {variance} (sd {sdVar})");
    }

    [Fact]
    public void Shape_at_n_1e12_fits_the_normal_limit()
    {
        // At n = 10^12, p = 0.3 the pmf is normal to ~1e-6 (skewness / sqrt n); 10 equiprobable bins.
        const long n = 1_000_000_000_000L;
        const double p = 0.3;
        double sd = Math.Sqrt(n * p * (1 - p));
        var edges = Enumerable.Range(1, 9).Select(i => Normal.InvCDF(0, 1, i / 10.0)).ToArray();
        var rng = new Xoshiro256StarStar(99);
        const int s = 100_000;
        var hist = new double[10];
        for (int i = 0; i < s; i++)
        {
            double zval = (Binomial.Sample(ref rng, n, p) - n * p) / sd;
            int bin = Array.BinarySearch(edges, zval);
            hist[bin < 0 ? ~bin : bin]++;
        }

        Stats.AssertChiSquareFits(hist, Enumerable.Repeat(s / 10.0, 10).ToList(), "Binomial(1e12, 0.3) shape");
    }

    [Fact]
    public void Edge_values_are_exact()
    {
        var rng = new Xoshiro256StarStar(1);
        Assert.Equal(0, Binomial.Sample(ref rng, 0, 0.5));
        Assert.Equal(0, Binomial.Sample(ref rng, 1_000_000_000_000L, 0.0));
        Assert.Equal(long.MaxValue, Binomial.Sample(ref rng, long.MaxValue, 1.0));
    }

    [Theory]
    [InlineData(-1L, 0.5, "n")]
    [InlineData(10L, double.NaN, "p")]
    [InlineData(10L, 1.5, "p")]
    [InlineData(10L, -0.1, "p")]
    public void Invalid_arguments_are_named(long n, double p, string name)
    {
        var rng = new Xoshiro256StarStar(1);
        var e = Assert.Throws<ArgumentException>(() => Binomial.Sample(ref rng, n, p));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Multinomial_counts_sum_to_n_and_skip_zero_classes()
    {
        var rng = new Xoshiro256StarStar(3);
        double[] p = [0.2, 0.0, 0.5, 0.3, 0.0];
        for (int r = 0; r < 100; r++)
        {
            long[] c = Binomial.Multinomial(ref rng, 1_000_000_000_000L, p);
            Assert.Equal(1_000_000_000_000L, c.Sum());
            Assert.Equal(0, c[1]);
            Assert.Equal(0, c[4]);
        }
    }

    [Fact]
    public void Multinomial_marginals_at_1e12_are_within_5_sd()
    {
        var rng = new Xoshiro256StarStar(8);
        double[] p = [0.1, 0.2, 0.3, 0.4];
        const long n = 1_000_000_000_000L;
        const int s = 5_000;
        var sums = new double[4];
        for (int r = 0; r < s; r++)
        {
            long[] c = Binomial.Multinomial(ref rng, n, p);
            for (int i = 0; i < 4; i++)
            {
                sums[i] += c[i] - n * p[i];
            }
        }

        for (int i = 0; i < 4; i++)
        {
            double sdMean = Math.Sqrt(n * p[i] * (1 - p[i]) / s);
            Assert.True(Math.Abs(sums[i] / s) <= 5 * sdMean, $"class {i}: mean offset {sums[i] / s}, sd {sdMean}");
        }
    }

    [Fact]
    public void Log_factorial_difference_is_accurate_at_1e12()
    {
        // ln(b!/a!) for b = a + d equals sum_{j=1..d} ln(a + j); compare for a = 10^12, d = 1000.
        const long a = 1_000_000_000_000L;
        double direct = 0;
        for (int j = 1; j <= 1000; j++)
        {
            direct += Math.Log(a + (double)j);
        }

        Assert.Equal(direct, Binomial.LogFactorialDiff(a, a + 1000), direct * 1e-13);
        Assert.Equal(Math.Log(300.0), Binomial.LogFactorialDiff(299, 300), 1e-12);
    }
}
