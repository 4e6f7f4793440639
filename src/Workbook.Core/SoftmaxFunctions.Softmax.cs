using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Workbook.Core;

/// <summary>The softmax family, numerically stable: every row is shifted by its maximum before exp, so logits of
/// ±1e4 or -1e300 neither overflow nor turn into 0/0. Row-wise for a batch (row-major span with a class count,
/// <c>double[,]</c> or MathNet <see cref="Matrix{T}"/>), with an optional temperature T (softmax(x / T)).</summary>
/// <remarks>Unlike <see cref="TensorPrimitives.SoftMax{T}(ReadOnlySpan{T}, Span{T})"/>, which returns NaN for
/// [1000, 999, 0], these subtract the maximum. A -inf logit is a masked class: probability 0, log-probability
/// -inf. A row whose logits are all -inf has no valid class and gives NaN in every entry, as PyTorch does
/// (documented convention; the reference vectors record it). A NaN or +inf logit is rejected.</remarks>
public static partial class SoftmaxFunctions
{
    /// <summary>Softmax of a vector: destination_i = exp((x_i - m) / T) / sum_j exp((x_j - m) / T),
    /// m = max_j x_j.</summary>
    /// <param name="x">Logits, finite or -inf (masked).</param>
    /// <param name="destination">Receives the probabilities; the same length as x. May be x itself.</param>
    /// <param name="temperature">T &gt; 0; 1 is the plain softmax, larger T flattens, smaller sharpens.</param>
    /// <remarks>Entries more than about 745·T below the maximum underflow to exactly 0. Masked (-inf) entries are 0;
    /// an all -inf vector gives NaN everywhere (see the class remarks). The result sums to 1 within a few ulp.</remarks>
    /// <exception cref="ArgumentException">x is empty, lengths differ, a logit is NaN or +inf, or T is not finite
    /// and positive.</exception>
    public static void Softmax(ReadOnlySpan<double> x, Span<double> destination, double temperature = 1.0)
    {
        Validate.NotEmpty(x.Length, nameof(x));
        SoftmaxRows(x, x.Length, destination, temperature);
    }

    /// <summary>Softmax of a vector into a new array; see
    /// <see cref="Softmax(ReadOnlySpan{double}, Span{double}, double)"/>.</summary>
    /// <exception cref="ArgumentException">As the span overload.</exception>
    public static double[] Softmax(double[] x, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Length];
        Softmax(x, result, temperature);
        return result;
    }

    /// <summary>Row-wise softmax of a row-major batch of rows of <paramref name="classes"/> logits:
    /// destination[r, c] = exp((x[r,c] - m_r) / T) / sum_j exp((x[r,j] - m_r) / T).</summary>
    /// <param name="x">rows * classes logits, row-major.</param>
    /// <param name="classes">Row length (number of classes), at least 1.</param>
    /// <param name="destination">Same length as x; may be x itself.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <remarks>Vectorised (TensorPrimitives.Exp over blocks of rows); no allocation. Masked and all-masked rows as
    /// in the class remarks. If it throws, destination may be partly written.</remarks>
    /// <exception cref="ArgumentException">x is empty or not a multiple of classes, lengths differ, a logit is NaN
    /// or +inf, or T is not finite and positive.</exception>
    public static void SoftmaxRows(ReadOnlySpan<double> x, int classes, Span<double> destination,
        double temperature = 1.0) => RowsChecked(x, classes, destination, temperature, log: false);

    /// <summary>Row-wise softmax in float32; see <see cref="SoftmaxRows(ReadOnlySpan{double}, int, Span{double}, double)"/>.</summary>
    /// <exception cref="ArgumentException">As the float64 overload.</exception>
    public static void SoftmaxRows(ReadOnlySpan<float> x, int classes, Span<float> destination,
        float temperature = 1.0f) => RowsChecked(x, classes, destination, temperature, log: false);

    /// <summary>Row-wise softmax of a rectangular array (rows = examples, columns = classes).</summary>
    /// <exception cref="ArgumentException">As <see cref="SoftmaxRows(ReadOnlySpan{double}, int, Span{double}, double)"/>.</exception>
    public static double[,] Softmax(double[,] x, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.GetLength(0), x.GetLength(1)];
        SoftmaxRows(RowReductions.AsSpan(x), Math.Max(1, x.GetLength(1)), RowReductions.AsSpan(result), temperature);
        return result;
    }

    /// <summary>Row-wise softmax of a MathNet matrix (rows = examples, columns = classes).</summary>
    /// <exception cref="ArgumentException">As <see cref="SoftmaxRows(ReadOnlySpan{double}, int, Span{double}, double)"/>.</exception>
    public static Matrix<double> Softmax(Matrix<double> x, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        double[] flat = x.ToRowMajorArray();
        SoftmaxRows(flat, Math.Max(1, x.ColumnCount), flat, temperature);
        return Matrix<double>.Build.DenseOfRowMajor(x.RowCount, x.ColumnCount, flat);
    }

    private static void RowsChecked<T>(ReadOnlySpan<T> x, int classes, Span<T> destination, T temperature, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate.Rows(x.Length, classes, nameof(x));
        Validate.SameLength(x.Length, destination.Length, nameof(destination), nameof(x));
        Validate.Temperature(double.CreateTruncating(temperature));
        int bad = RowsUnchecked(x, classes, destination, temperature, log);
        if (bad >= 0)
        {
            throw RowReductions.BadLogit(x, classes, bad, nameof(x));
        }
    }

    /// <summary>Row-wise softmax (or log-softmax) without argument checks. Returns the first row holding a NaN or
    /// +inf logit (the outputs from there on are not written), or -1.</summary>
    internal static int RowsUnchecked<T>(ReadOnlySpan<T> x, int classes, Span<T> destination, T temperature,
        bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = x.Length / classes;
        int perBlock = RowReductions.RowsPerBlock(classes);
        T[]? rented = log ? RowReductions.RentIfLong<T>(classes) : null;
        Span<T> scratch = !log ? default : rented ?? stackalloc T[RowReductions.BlockElements];
        Span<T> maxes = stackalloc T[perBlock];
        Span<T> sums = stackalloc T[perBlock];
        try
        {
            for (int r0 = 0; r0 < rows; r0 += perBlock)
            {
                int n = Math.Min(perBlock, rows - r0);
                ReadOnlySpan<T> xb = x.Slice(r0 * classes, n * classes);
                Span<T> db = destination.Slice(r0 * classes, n * classes);
                // Softmax writes the exps straight into the destination (which may alias x: each row's max is
                // taken before the row is overwritten). Log-softmax needs only the sums, then x - max again.
                Span<T> exps = log ? scratch : db;
                int bad = RowReductions.ExpShifted(xb, classes, temperature, maxes[..n], sums[..n], exps, sumsOnly: log);
                if (bad >= 0)
                {
                    return r0 + bad;
                }

                if (classes < ShortRow && temperature == T.One)
                {
                    ShortRowsFinish(xb, classes, maxes[..n], sums[..n], db, log);
                    continue;
                }

                for (int r = 0; r < n; r++)
                {
                    Span<T> d = db.Slice(r * classes, classes);
                    if (log)
                    {
                        T logSum = T.Log(sums[r]);
                        ReadOnlySpan<T> xr = xb.Slice(r * classes, classes);
                        // (x - max) / T - log(sum): the stable form (not x - logsumexp).
                        TensorPrimitives.Subtract(xr, maxes[r], d);
                        if (temperature != T.One)
                        {
                            TensorPrimitives.Divide(d, temperature, d);
                        }

                        TensorPrimitives.Subtract(d, logSum, d);
                    }
                    else
                    {
                        TensorPrimitives.Divide(d, sums[r], d);
                    }
                }
            }
        }
        finally
        {
            RowReductions.Return(rented);
        }

        return -1;
    }

    /// <summary>Below this row length the per-row finish is a plain loop (a TensorPrimitives call per row of a few
    /// classes costs more than the work).</summary>
    private const int ShortRow = 16;

    /// <summary>Finishes a block of short rows (T = 1): log-softmax d = (x - max) - log(sum), with the logs of the
    /// block's sums taken in one vectorised call; softmax d = exp / sum, as exp · (1 / sum).</summary>
    private static void ShortRowsFinish<T>(ReadOnlySpan<T> xb, int classes, ReadOnlySpan<T> maxes, Span<T> sums,
        Span<T> db, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (log)
        {
            TensorPrimitives.Log<T>(sums, sums);
        }
        else
        {
            TensorPrimitives.Reciprocal<T>(sums, sums);
        }

        for (int r = 0; r < maxes.Length; r++)
        {
            int o = r * classes;
            ReadOnlySpan<T> xr = xb.Slice(o, classes);
            Span<T> d = db.Slice(o, classes);
            T k = sums[r];
            if (log)
            {
                T m = maxes[r];
                for (int c = 0; c < d.Length; c++)
                {
                    d[c] = (xr[c] - m) - k;
                }
            }
            else
            {
                for (int c = 0; c < d.Length; c++)
                {
                    d[c] *= k;
                }
            }
        }
    }
}
