namespace Workbook.Core;

public static partial class SoftmaxFunctions
{
    /// <summary>Log-sum-exp: T · log sum_i exp(x_i / T) = m + T · log sum_i exp((x_i - m) / T), m = max_i x_i.
    /// A smooth maximum: max(x) &lt;= LSE &lt;= max(x) + T log n.</summary>
    /// <param name="x">Values, finite or -inf.</param>
    /// <param name="temperature">T &gt; 0 (1 for the plain log-sum-exp).</param>
    /// <remarks>Shifted by the maximum, so 1e4 or -1e300 entries are exact (LSE of n equal values v is
    /// v + T log n). -inf entries contribute nothing; all -inf gives -inf (log 0, as torch.logsumexp).</remarks>
    /// <exception cref="ArgumentException">x is empty, an entry is NaN or +inf, or T is not finite and positive.</exception>
    public static double LogSumExp(ReadOnlySpan<double> x, double temperature = 1.0)
    {
        Validate.NotEmpty(x.Length, nameof(x));
        Span<double> one = stackalloc double[1];
        LogSumExpRows(x, x.Length, one, temperature);
        return one[0];
    }

    /// <summary>Row-wise log-sum-exp of a row-major batch: destination[r] = m_r + T log sum_c exp((x[r,c] - m_r) / T).</summary>
    /// <param name="x">rows * classes values, row-major.</param>
    /// <param name="classes">Row length, at least 1.</param>
    /// <param name="destination">One value per row.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <remarks>An all -inf row gives -inf. No allocation for rows up to 2048 entries.</remarks>
    /// <exception cref="ArgumentException">x is empty or not a multiple of classes, destination has the wrong
    /// length, an entry is NaN or +inf, or T is not finite and positive.</exception>
    public static void LogSumExpRows(ReadOnlySpan<double> x, int classes, Span<double> destination,
        double temperature = 1.0)
    {
        int rows = Validate.Rows(x.Length, classes, nameof(x));
        Validate.SameLength(rows, destination.Length, nameof(destination), "the number of rows");
        Validate.Temperature(temperature);
        int perBlock = RowReductions.RowsPerBlock(classes);
        double[]? rented = RowReductions.RentIfLong<double>(classes);
        Span<double> scratch = rented ?? stackalloc double[RowReductions.BlockElements];
        Span<double> maxes = stackalloc double[perBlock];
        try
        {
            for (int r0 = 0; r0 < rows; r0 += perBlock)
            {
                int n = Math.Min(perBlock, rows - r0);
                Span<double> sums = destination.Slice(r0, n);
                ReadOnlySpan<double> xb = x.Slice(r0 * classes, n * classes);
                int bad = RowReductions.ExpShifted(xb, classes, temperature, maxes[..n], sums, scratch, sumsOnly: true);
                if (bad >= 0)
                {
                    throw RowReductions.BadLogit(x, classes, r0 + bad, nameof(x));
                }

                for (int r = 0; r < n; r++)
                {
                    sums[r] = double.IsNegativeInfinity(maxes[r])
                        ? double.NegativeInfinity
                        : maxes[r] + temperature * Math.Log(sums[r]);
                }
            }
        }
        finally
        {
            RowReductions.Return(rented);
        }
    }

    /// <summary>Row-wise log-sum-exp of a rectangular array; one value per row.</summary>
    /// <exception cref="ArgumentException">As <see cref="LogSumExpRows"/>.</exception>
    public static double[] LogSumExp(double[,] x, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.GetLength(0)];
        LogSumExpRows(RowReductions.AsSpan(x), Math.Max(1, x.GetLength(1)), result, temperature);
        return result;
    }
}
