using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Workbook.Core;

/// <summary>Hand-written SIMD exp for float64 on the non-positive half-line, the only place the softmax family and
/// the losses from logits need it (every argument is x - max(x) &lt;= 0, or -|x|).</summary>
/// <remarks>
/// <para>exp(x) = 2^(m/N) · exp(r) with m = round(x · N / ln 2) and r = x - m · ln2/N reduced by a two-constant
/// Cody–Waite split (the first product is exact under FMA, so r is correct to half an ulp). 2^(j/N) comes from a
/// table of the correctly rounded values, the power of two is added to the exponent bits, and exp(r) - 1 is a
/// Taylor polynomial whose truncation error is far below an ulp:</para>
/// <list type="bullet">
/// <item>Vector512 (AVX-512): N = 16, the 16-entry table held in two registers and read with one
/// <c>vpermt2pd</c>; |r| &lt;= ln2/32, degree 7.</item>
/// <item>Vector256: N = 1, no table; |r| &lt;= ln2/2, degree 13.</item>
/// <item>Scalar tails: <see cref="Math.Exp"/>.</item>
/// </list>
/// <para>Error at most about 1 ulp for normal results. Results in the subnormal range (x below about -708) are
/// scaled in two steps, so they round once more but stay within an ulp of the subnormal grid; x &lt;= -746 and
/// -inf give exactly 0; NaN gives NaN. Arguments above 0 are outside the contract (they are fine up to about
/// 700, then overflow wrongly).</para>
/// </remarks>
internal static class VectorMath
{
    private const double Shifter = 6755399441055744.0;          // 1.5 * 2^52: t = x * c + Shifter rounds x * c
    private const long ShifterBits = 0x4338000000000000;

    // N = 16 (Vector512)
    private const double InvLn2x16 = 23.083120654223414;        // 16 / ln 2
    private const double Ln2By16Hi = 0.04332169878499658;       // ln2 / 16 rounded
    private const double Ln2By16Lo = 1.4494042586539372e-18;    // ln2 / 16 - Ln2By16Hi
    private const double Fast512Below = -708.3;                 // m / 16 >= -1022: 2^(m/16) · [1, 2) is normal

    // N = 1 (Vector256)
    private const double InvLn2 = 1.4426950408889634;
    private const double Ln2Hi = 0.6931471805599453;
    private const double Ln2Lo = 2.3190468138462996e-17;
    private const double Fast256Below = -707.0;                 // m >= -1021: 2^m · [2^-0.5, 2^0.5] is normal

    private const double Floor = -746.0;                        // exp(-746) rounds to 0; clamps -inf

    private static ReadOnlySpan<ulong> TableBits =>
    [
        0x3FF0000000000000, 0x3FF0B5586CF9890F, 0x3FF172B83C7D517B, 0x3FF2387A6E756238,
        0x3FF306FE0A31B715, 0x3FF3DEA64C123422, 0x3FF4BFDAD5362A27, 0x3FF5AB07DD485429,
        0x3FF6A09E667F3BCD, 0x3FF7A11473EB0187, 0x3FF8ACE5422AA0DB, 0x3FF9C49182A3F090,
        0x3FFAE89F995AD3AD, 0x3FFC199BDD85529C, 0x3FFD5818DCFBA487, 0x3FFEA4AFA2A490DA,
    ];

    /// <summary>True when <see cref="Exp(Vector512{double}, Vector512{double}, Vector512{double})"/> runs in
    /// hardware (AVX-512F).</summary>
    internal static bool Use512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>True when the Vector256 path is used (AVX2 with FMA, or an equivalent).</summary>
    internal static bool Use256 => !Use512 && Vector256.IsHardwareAccelerated;

    /// <summary>The low half of the 2^(j/16) table (j = 0..7).</summary>
    internal static Vector512<double> Table0 =>
        Vector512.Create(MemoryMarshal.Cast<ulong, double>(TableBits)[..8]);

    /// <summary>The high half of the 2^(j/16) table (j = 8..15).</summary>
    internal static Vector512<double> Table1 =>
        Vector512.Create(MemoryMarshal.Cast<ulong, double>(TableBits)[8..]);

    /// <summary>exp(x) lane-wise for x &lt;= 0 (or NaN); <paramref name="tab0"/>/<paramref name="tab1"/> are
    /// <see cref="Table0"/> and <see cref="Table1"/>, loaded once by the caller's loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Exp(Vector512<double> x, Vector512<double> tab0, Vector512<double> tab1)
    {
        if (Vector512.LessThanAny(x, Vector512.Create(Fast512Below)))
        {
            return ExpTiny(x, tab0, tab1);
        }

        Vector512<double> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(InvLn2x16), Vector512.Create(Shifter));
        Vector512<double> m = t - Vector512.Create(Shifter);
        Vector512<double> r = Vector512.FusedMultiplyAdd(m, Vector512.Create(-Ln2By16Hi), x);
        r = Vector512.FusedMultiplyAdd(m, Vector512.Create(-Ln2By16Lo), r);
        Vector512<long> tb = t.AsInt64();
        // vpermt2pd reads the low 4 bits of each index lane: m mod 16.
        Vector512<double> s = Avx512F.PermuteVar8x64x2(tab0, tb, tab1);
        // 2^(m >> 4) into the exponent: the shifter's bits vanish in (tb >> 4) << 52.
        s = (s.AsInt64() + Vector512.ShiftLeft(Vector512.ShiftRightLogical(tb, 4), 52)).AsDouble();
        return Vector512.FusedMultiplyAdd(s, ExpM1Poly7(r), s);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<double> ExpTiny(Vector512<double> x, Vector512<double> tab0, Vector512<double> tab1)
    {
        // Some lane is below -708.3: results may be subnormal or 0. Clamp (keeping NaN), then scale by
        // 2^e = 2^e1 · 2^e2 in two normal steps.
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Floor)), Vector512.Create(Floor), x);
        Vector512<double> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(InvLn2x16), Vector512.Create(Shifter));
        Vector512<double> m = t - Vector512.Create(Shifter);
        Vector512<double> r = Vector512.FusedMultiplyAdd(m, Vector512.Create(-Ln2By16Hi), x);
        r = Vector512.FusedMultiplyAdd(m, Vector512.Create(-Ln2By16Lo), r);
        Vector512<long> tb = t.AsInt64();
        Vector512<double> s = Avx512F.PermuteVar8x64x2(tab0, tb, tab1);
        Vector512<long> e = Vector512.ShiftRightArithmetic(tb - Vector512.Create(ShifterBits), 4);
        Vector512<long> e1 = Vector512.ShiftRightArithmetic(e, 1);
        Vector512<long> e2 = e - e1;
        Vector512<double> p1 = Vector512.ShiftLeft(e1 + Vector512.Create(1023L), 52).AsDouble();
        Vector512<double> p2 = Vector512.ShiftLeft(e2 + Vector512.Create(1023L), 52).AsDouble();
        return Vector512.FusedMultiplyAdd(s, ExpM1Poly7(r), s) * p1 * p2;
    }

    /// <summary>exp(r) - 1 for |r| &lt;= ln2/32: r + r² (1/2! + r/3! + ... + r^5/7!).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpM1Poly7(Vector512<double> r)
    {
        Vector512<double> q = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 5040), r, Vector512.Create(1.0 / 720));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(1.0 / 120));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(1.0 / 24));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(1.0 / 6));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(0.5));
        return Vector512.FusedMultiplyAdd(q, r * r, r);
    }

    /// <summary>exp(x) lane-wise for x &lt;= 0 (or NaN), Vector256 without a table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Exp(Vector256<double> x)
    {
        if (Vector256.LessThanAny(x, Vector256.Create(Fast256Below)))
        {
            return ExpTiny(x);
        }

        Vector256<double> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(InvLn2), Vector256.Create(Shifter));
        Vector256<double> m = t - Vector256.Create(Shifter);
        Vector256<double> r = Vector256.FusedMultiplyAdd(m, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(m, Vector256.Create(-Ln2Lo), r);
        Vector256<double> p = ExpM1Poly13(r) + Vector256<double>.One;
        return (p.AsInt64() + Vector256.ShiftLeft(t.AsInt64(), 52)).AsDouble();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<double> ExpTiny(Vector256<double> x)
    {
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Floor)), Vector256.Create(Floor), x);
        Vector256<double> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(InvLn2), Vector256.Create(Shifter));
        Vector256<double> m = t - Vector256.Create(Shifter);
        Vector256<double> r = Vector256.FusedMultiplyAdd(m, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(m, Vector256.Create(-Ln2Lo), r);
        Vector256<double> p = ExpM1Poly13(r) + Vector256<double>.One;
        Vector256<long> e = t.AsInt64() - Vector256.Create(ShifterBits);
        Vector256<long> e1 = Vector256.ShiftRightArithmetic(e, 1);
        Vector256<long> e2 = e - e1;
        Vector256<double> p1 = Vector256.ShiftLeft(e1 + Vector256.Create(1023L), 52).AsDouble();
        Vector256<double> p2 = Vector256.ShiftLeft(e2 + Vector256.Create(1023L), 52).AsDouble();
        return p * p1 * p2;
    }

    /// <summary>exp(r) - 1 for |r| &lt;= ln2/2: r + r² (1/2! + r/3! + ... + r^11/13!).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpM1Poly13(Vector256<double> r)
    {
        Vector256<double> q = Vector256.FusedMultiplyAdd(Vector256.Create(1.0 / 6227020800), r,
            Vector256.Create(1.0 / 479001600));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 39916800));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 3628800));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 362880));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 40320));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 5040));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 720));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 120));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 24));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1.0 / 6));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(0.5));
        return Vector256.FusedMultiplyAdd(q, r * r, r);
    }

    /// <summary>destination[i] = exp(x[i]) for x[i] &lt;= 0 (or NaN); destination may be x itself.</summary>
    internal static void Exp(ReadOnlySpan<double> x, Span<double> destination)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double dr = ref MemoryMarshal.GetReference(destination[..n]);
        int i = 0;
        if (Use512)
        {
            Vector512<double> tab0 = Table0, tab1 = Table1;
            for (; i <= n - 8; i += 8)
            {
                Exp(Vector512.LoadUnsafe(ref xr, (nuint)i), tab0, tab1).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        else if (Use256)
        {
            for (; i <= n - 4; i += 4)
            {
                Exp(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = Math.Exp(Unsafe.Add(ref xr, i));
        }
    }

    /// <summary>destination[i] = 1 + exp(-|x[i]|) for finite x (the argument of softplus's log), in one pass.</summary>
    internal static void OnePlusExpNegAbs(ReadOnlySpan<double> x, Span<double> destination)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double dr = ref MemoryMarshal.GetReference(destination[..n]);
        int i = 0;
        if (Use512)
        {
            Vector512<double> tab0 = Table0, tab1 = Table1;
            for (; i <= n - 8; i += 8)
            {
                Vector512<double> e = Exp(-Vector512.Abs(Vector512.LoadUnsafe(ref xr, (nuint)i)), tab0, tab1);
                (e + Vector512<double>.One).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        else if (Use256)
        {
            for (; i <= n - 4; i += 4)
            {
                Vector256<double> e = Exp(-Vector256.Abs(Vector256.LoadUnsafe(ref xr, (nuint)i)));
                (e + Vector256<double>.One).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = 1.0 + Math.Exp(-Math.Abs(Unsafe.Add(ref xr, i)));
        }
    }

    /// <summary>sum_i exp(x[i] - shift), nothing stored; shift &gt;= every x[i] (a row maximum). A shift of -inf
    /// gives NaN (as x - shift does).</summary>
    internal static double SumExpShifted(ReadOnlySpan<double> x, double shift)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        int i = 0;
        double sum = 0.0;
        if (Use512)
        {
            Vector512<double> tab0 = Table0, tab1 = Table1;
            Vector512<double> m = Vector512.Create(shift);
            Vector512<double> a0 = Vector512<double>.Zero, a1 = Vector512<double>.Zero;
            for (; i <= n - 16; i += 16)
            {
                a0 += Exp(Vector512.LoadUnsafe(ref xr, (nuint)i) - m, tab0, tab1);
                a1 += Exp(Vector512.LoadUnsafe(ref xr, (nuint)(i + 8)) - m, tab0, tab1);
            }

            if (i <= n - 8)
            {
                a0 += Exp(Vector512.LoadUnsafe(ref xr, (nuint)i) - m, tab0, tab1);
                i += 8;
            }

            sum = Vector512.Sum(a0 + a1);
        }
        else if (Use256)
        {
            Vector256<double> m = Vector256.Create(shift);
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                a0 += Exp(Vector256.LoadUnsafe(ref xr, (nuint)i) - m);
                a1 += Exp(Vector256.LoadUnsafe(ref xr, (nuint)(i + 4)) - m);
            }

            sum = Vector256.Sum(a0 + a1);
        }

        for (; i < n; i++)
        {
            sum += Math.Exp(Unsafe.Add(ref xr, i) - shift);
        }

        return sum;
    }

    /// <summary>destination[i] = exp(x[i] - shift), returns their sum; shift &gt;= every x[i]. destination may
    /// be x itself.</summary>
    internal static double ExpShifted(ReadOnlySpan<double> x, double shift, Span<double> destination)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double dr = ref MemoryMarshal.GetReference(destination[..n]);
        int i = 0;
        double sum = 0.0;
        if (Use512)
        {
            Vector512<double> tab0 = Table0, tab1 = Table1;
            Vector512<double> m = Vector512.Create(shift);
            Vector512<double> a0 = Vector512<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                Vector512<double> e = Exp(Vector512.LoadUnsafe(ref xr, (nuint)i) - m, tab0, tab1);
                e.StoreUnsafe(ref dr, (nuint)i);
                a0 += e;
            }

            sum = Vector512.Sum(a0);
        }
        else if (Use256)
        {
            Vector256<double> m = Vector256.Create(shift);
            Vector256<double> a0 = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                Vector256<double> e = Exp(Vector256.LoadUnsafe(ref xr, (nuint)i) - m);
                e.StoreUnsafe(ref dr, (nuint)i);
                a0 += e;
            }

            sum = Vector256.Sum(a0);
        }

        for (; i < n; i++)
        {
            double e = Math.Exp(Unsafe.Add(ref xr, i) - shift);
            Unsafe.Add(ref dr, i) = e;
            sum += e;
        }

        return sum;
    }
}
