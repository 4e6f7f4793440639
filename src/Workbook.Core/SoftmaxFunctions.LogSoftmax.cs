using MathNet.Numerics.LinearAlgebra;

namespace Workbook.Core;

public static partial class SoftmaxFunctions
{
    /// <summary>Log-softmax of a vector: destination_i = (x_i - m) / T - log sum_j exp((x_j - m) / T),
    /// m = max_j x_j. This is log(softmax(x / T)) computed without forming the softmax.</summary>
    /// <param name="x">Logits, finite or -inf (masked).</param>
    /// <param name="destination">Receives the log-probabilities; the same length as x. Must not overlap x.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <remarks>Stays finite where softmax underflows to 0 (logits spread by 1e4 give -1e4, not -inf). Masked
    /// entries give -inf; an all -inf vector gives NaN everywhere (PyTorch convention). Uses the stable form
    /// (x - max) - log(sum), not x - logsumexp(x), which loses an ulp of max|x| and returns 0 instead of -log C
    /// for equal logits of -1e300.</remarks>
    /// <exception cref="ArgumentException">x is empty, lengths differ, a logit is NaN or +inf, or T is not finite
    /// and positive.</exception>
    public static void LogSoftmax(ReadOnlySpan<double> x, Span<double> destination, double temperature = 1.0)
    {
        Validate.NotEmpty(x.Length, nameof(x));
        LogSoftmaxRows(x, x.Length, destination, temperature);
    }

    /// <summary>Log-softmax of a vector into a new array; see
    /// <see cref="LogSoftmax(ReadOnlySpan{double}, Span{double}, double)"/>.</summary>
    /// <exception cref="ArgumentException">As the span overload.</exception>
    public static double[] LogSoftmax(double[] x, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Length];
        LogSoftmax(x, result, temperature);
        return result;
    }

    /// <summary>Row-wise log-softmax of a row-major batch:
    /// destination[r, c] = (x[r,c] - m_r) / T - log sum_j exp((x[r,j] - m_r) / T).</summary>
    /// <param name="x">rows * classes logits, row-major.</param>
    /// <param name="classes">Row length, at least 1.</param>
    /// <param name="destination">Same length as x; must not overlap x.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <remarks>Vectorised, no allocation for rows up to 2048 classes (longer rows rent pooled scratch).
    /// Edge cases as <see cref="LogSoftmax(ReadOnlySpan{double}, Span{double}, double)"/>.</remarks>
    /// <exception cref="ArgumentException">x is empty or not a multiple of classes, lengths differ, a logit is NaN
    /// or +inf, or T is not finite and positive.</exception>
    public static void LogSoftmaxRows(ReadOnlySpan<double> x, int classes, Span<double> destination,
        double temperature = 1.0) => RowsChecked(x, classes, destination, temperature, log: true);

    /// <summary>Row-wise log-softmax in float32; see
    /// <see cref="LogSoftmaxRows(ReadOnlySpan{double}, int, Span{double}, double)"/>.</summary>
    /// <exception cref="ArgumentException">As the float64 overload.</exception>
    public static void LogSoftmaxRows(ReadOnlySpan<float> x, int classes, Span<float> destination,
        float temperature = 1.0f) => RowsChecked(x, classes, destination, temperature, log: true);

    /// <summary>Row-wise log-softmax of a rectangular array (rows = examples, columns = classes).</summary>
    /// <exception cref="ArgumentException">As <see cref="LogSoftmaxRows(ReadOnlySpan{double}, int, Span{double}, double)"/>.</exception>
    public static double[,] LogSoftmax(double[,] x, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.GetLength(0), x.GetLength(1)];
        LogSoftmaxRows(RowReductions.AsSpan(x), Math.Max(1, x.GetLength(1)), RowReductions.AsSpan(result), temperature);
        return result;
    }

    /// <summary>Row-wise log-softmax of a MathNet matrix (rows = examples, columns = classes).</summary>
    /// <exception cref="ArgumentException">As <see cref="LogSoftmaxRows(ReadOnlySpan{double}, int, Span{double}, double)"/>.</exception>
    public static Matrix<double> LogSoftmax(Matrix<double> x, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        double[] flat = x.ToRowMajorArray();
        var result = new double[flat.Length];
        LogSoftmaxRows(flat, Math.Max(1, x.ColumnCount), result, temperature);
        return Matrix<double>.Build.DenseOfRowMajor(x.RowCount, x.ColumnCount, result);
    }
}
