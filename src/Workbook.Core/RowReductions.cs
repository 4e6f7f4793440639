using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Workbook.Core;

/// <summary>The shared, unchecked, vectorised core of the softmax family and the losses from logits: for a block
/// of rows it finds each row's maximum, writes exp((x - max) / T) and sums each row.</summary>
/// <remarks>Rows are processed in blocks of about <see cref="BlockElements"/> values so that one call of the
/// vectorised <see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/> covers many short rows, and the
/// second touch of a row hits the L1 cache. No allocation: scratch is on the stack, or rented from the shared
/// array pool for rows longer than a block.</remarks>
internal static class RowReductions
{
    /// <summary>Values per block (16 KiB of float64).</summary>
    internal const int BlockElements = 2048;

    /// <summary>Rows shorter than this use scalar max/shift/sum loops (call overhead beats SIMD there).</summary>
    private const int ScalarBelow = 16;

    internal static int RowsPerBlock(int classes)
    {
        int rows = BlockElements / classes;
        return rows >= 8 ? rows & ~7 : Math.Max(1, rows);  // whole groups of 8 rows for the transposed kernel
    }

    /// <summary>Scratch for one block: exps (rowsPerBlock * classes) from the stack or the pool.</summary>
    internal static T[]? RentIfLong<T>(int classes) where T : unmanaged =>
        classes > BlockElements ? ArrayPool<T>.Shared.Rent(classes) : null;

    internal static void Return<T>(T[]? rented) where T : unmanaged
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>For each row r of <paramref name="x"/> (rowMax.Length rows of <paramref name="classes"/>):
    /// rowMax[r] = max_c x[r,c], exps[r,c] = exp((x[r,c] - rowMax[r]) * invTemperature) (or / temperature),
    /// rowSum[r] = sum_c exps[r,c]. Returns the first row whose max is NaN or +inf (nothing after it is
    /// computed), or -1. With <paramref name="sumsOnly"/> the exps may be left unwritten (the caller needs only
    /// rowMax and rowSum).</summary>
    /// <remarks>An all -inf row has max -inf, so x - max is NaN and the row's sum is NaN (PyTorch's result).</remarks>
    internal static int ExpShifted<T>(ReadOnlySpan<T> x, int classes, T temperature, Span<T> rowMax, Span<T> rowSum,
        Span<T> exps, bool sumsOnly = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double) && (VectorMath.Use512 || VectorMath.Use256))
        {
            return ExpShiftedF64(MemoryMarshal.Cast<T, double>(x), classes, double.CreateTruncating(temperature),
                MemoryMarshal.Cast<T, double>(rowMax), MemoryMarshal.Cast<T, double>(rowSum),
                MemoryMarshal.Cast<T, double>(exps), sumsOnly);
        }

        int rows = rowMax.Length;
        int n = rows * classes;
        exps = exps[..n];
        if (classes < ScalarBelow)
        {
            ref T xr = ref MemoryMarshal.GetReference(x);
            ref T er = ref MemoryMarshal.GetReference(exps);
            for (int r = 0; r < rows; r++)
            {
                int o = r * classes;
                T m = Unsafe.Add(ref xr, o);
                for (int c = 1; c < classes; c++)
                {
                    T v = Unsafe.Add(ref xr, o + c);
                    if (v > m || T.IsNaN(v))
                    {
                        m = v;
                    }
                }

                if (T.IsNaN(m) || T.IsPositiveInfinity(m))
                {
                    return r;
                }

                rowMax[r] = m;
                for (int c = 0; c < classes; c++)
                {
                    Unsafe.Add(ref er, o + c) = Unsafe.Add(ref xr, o + c) - m;
                }
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> row = x.Slice(r * classes, classes);
                T m = TensorPrimitives.Max(row);
                if (T.IsNaN(m) || T.IsPositiveInfinity(m))
                {
                    return r;
                }

                rowMax[r] = m;
                TensorPrimitives.Subtract(row, m, exps.Slice(r * classes, classes));
            }
        }

        if (temperature != T.One)
        {
            TensorPrimitives.Divide(exps, temperature, exps);
        }

        TensorPrimitives.Exp(exps, exps);
        if (classes < ScalarBelow)
        {
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> e = exps.Slice(r * classes, classes);
                T s = T.Zero;
                for (int c = 0; c < e.Length; c++)
                {
                    s += e[c];
                }

                rowSum[r] = s;
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                rowSum[r] = TensorPrimitives.Sum<T>(exps.Slice(r * classes, classes));
            }
        }

        return -1;
    }

    /// <summary><see cref="ExpShifted{T}"/> for float64 with the hand-written vector exp
    /// (<see cref="VectorMath"/>). With <paramref name="sumsOnly"/> (and T = 1) long rows are reduced without
    /// storing the exps: the cross-entropy needs only log(sum).</summary>
    private static int ExpShiftedF64(ReadOnlySpan<double> x, int classes, double temperature, Span<double> rowMax,
        Span<double> rowSum, Span<double> exps, bool sumsOnly)
    {
        int rows = rowMax.Length;
        if (classes >= ScalarBelow)
        {
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<double> row = x.Slice(r * classes, classes);
                double m = TensorPrimitives.Max(row);
                if (double.IsNaN(m) || double.IsPositiveInfinity(m))
                {
                    return r;
                }

                rowMax[r] = m;
                if (temperature == 1.0)
                {
                    rowSum[r] = sumsOnly
                        ? VectorMath.SumExpShifted(row, m)
                        : VectorMath.ExpShifted(row, m, exps.Slice(r * classes, classes));
                }
                else
                {
                    Span<double> e = exps.Slice(r * classes, classes);
                    TensorPrimitives.Subtract(row, m, e);
                    TensorPrimitives.Divide(e, temperature, e);
                    VectorMath.Exp(e, e);
                    rowSum[r] = TensorPrimitives.Sum<double>(e);
                }
            }

            return -1;
        }

        int done = 0;
        if (sumsOnly && temperature == 1.0 && VectorMath.Use512 && rows >= 8)
        {
            done = SumExpTransposed8(x, classes, rowMax, rowSum);
            if (done == rows)
            {
                return -1;
            }

            // The rest of the rows, or the group of 8 holding a NaN/+inf logit, goes through the scalar loops.
            x = x[(done * classes)..];
            rowMax = rowMax[done..];
            rowSum = rowSum[done..];
            rows -= done;
        }

        int n = rows * classes;
        exps = exps[..n];
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double er = ref MemoryMarshal.GetReference(exps);
        for (int r = 0; r < rows; r++)
        {
            int o = r * classes;
            double m = Unsafe.Add(ref xr, o);
            for (int c = 1; c < classes; c++)
            {
                double v = Unsafe.Add(ref xr, o + c);
                m = Math.Max(m, v);  // branch-free; NaN propagates
            }

            if (double.IsNaN(m) || double.IsPositiveInfinity(m))
            {
                return done + r;
            }

            rowMax[r] = m;
            for (int c = 0; c < classes; c++)
            {
                Unsafe.Add(ref er, o + c) = Unsafe.Add(ref xr, o + c) - m;
            }
        }

        if (temperature != 1.0)
        {
            TensorPrimitives.Divide(exps, temperature, exps);
        }

        VectorMath.Exp(exps, exps);
        for (int r = 0; r < rows; r++)
        {
            int o = r * classes;
            double s = 0.0;
            for (int c = 0; c < classes; c++)
            {
                s += Unsafe.Add(ref er, o + c);
            }

            rowSum[r] = s;
        }

        return -1;
    }

    /// <summary>rowMax and rowSum (of exp(x - max)) for short rows, 8 rows at a time: lane i of a Vector512 holds
    /// row i, so the max, the exps and the sum are vertical (no horizontal reductions, no branches per element).
    /// Returns the number of rows done: all whole groups of 8, or up to the group holding a NaN/+inf logit.</summary>
    private static int SumExpTransposed8(ReadOnlySpan<double> x, int classes, Span<double> rowMax, Span<double> rowSum)
    {
        int rows = rowMax.Length;
        Span<Vector512<double>> cols = stackalloc Vector512<double>[ScalarBelow];
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double mr = ref MemoryMarshal.GetReference(rowMax);
        ref double sr = ref MemoryMarshal.GetReference(rowSum);
        Vector512<double> tab0 = VectorMath.Table0, tab1 = VectorMath.Table1;
        Vector512<double> posInf = Vector512.Create(double.PositiveInfinity);
        int r = 0;
        for (; r <= rows - 8; r += 8)
        {
            ref double b = ref Unsafe.Add(ref xr, r * classes);
            Vector512<double> m = Vector512.Create(double.NegativeInfinity);
            Vector512<double> bad = Vector512<double>.Zero;
            for (int c = 0; c < classes; c++)
            {
                ref double bc = ref Unsafe.Add(ref b, c);
                Vector512<double> v = Vector512.Create(bc, Unsafe.Add(ref bc, classes),
                    Unsafe.Add(ref bc, 2 * classes), Unsafe.Add(ref bc, 3 * classes), Unsafe.Add(ref bc, 4 * classes),
                    Unsafe.Add(ref bc, 5 * classes), Unsafe.Add(ref bc, 6 * classes), Unsafe.Add(ref bc, 7 * classes));
                cols[c] = v;
                bad |= ~Vector512.LessThan(v, posInf);  // NaN or +inf
                m = Vector512.MaxNative(m, v);
            }

            if (bad != Vector512<double>.Zero)
            {
                break;
            }

            Vector512<double> s0 = Vector512<double>.Zero, s1 = Vector512<double>.Zero;
            int k = 0;
            for (; k + 1 < classes; k += 2)
            {
                s0 += VectorMath.Exp(cols[k] - m, tab0, tab1);
                s1 += VectorMath.Exp(cols[k + 1] - m, tab0, tab1);
            }

            if (k < classes)
            {
                s0 += VectorMath.Exp(cols[k] - m, tab0, tab1);
            }

            m.StoreUnsafe(ref mr, (nuint)r);
            (s0 + s1).StoreUnsafe(ref sr, (nuint)r);
        }

        return r;
    }

    /// <summary>The ArgumentException for a row found by <see cref="ExpShifted{T}"/>: names the first NaN or
    /// +inf entry of that row.</summary>
    internal static ArgumentException BadLogit<T>(ReadOnlySpan<T> x, int classes, int row, string paramName)
        where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> r = x.Slice(row * classes, classes);
        for (int c = 0; c < r.Length; c++)
        {
            if (T.IsNaN(r[c]))
            {
                return new ArgumentException($"{paramName}[{row}, {c}] is NaN, expected a finite logit or -inf (masked)",
                    paramName);
            }
        }

        for (int c = 0; c < r.Length; c++)
        {
            if (T.IsPositiveInfinity(r[c]))
            {
                return new ArgumentException(
                    $"{paramName}[{row}, {c}] is +inf, expected a finite logit or -inf (masked)", paramName);
            }
        }

        return new ArgumentException($"{paramName} row {row} is invalid", paramName);
    }

    /// <summary>A row-major view of a rectangular array (no copy).</summary>
    internal static Span<double> AsSpan(double[,] a) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(a)), a.Length);
}
