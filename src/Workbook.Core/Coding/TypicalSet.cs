using MathNet.Numerics;

namespace Workbook.Core.Coding;

/// <summary>One type class of a Bernoulli(p) source: the C(N, k) sequences of length N with k ones, each of
/// probability p^k (1-p)^(N-k).</summary>
/// <param name="Ones">k, the number of ones.</param>
/// <param name="Log2Count">log2 C(N, k).</param>
/// <param name="SurprisalPerSymbol">-(1/N) log2 P(one sequence of the class), in bits.</param>
/// <param name="Log2Probability">log2 of the class's total probability, C(N, k) p^k (1-p)^(N-k)
/// (-inf when the class is impossible).</param>
/// <param name="Typical">Whether |SurprisalPerSymbol - H(p)| &lt;= ε.</param>
public sealed record TypeClass(int Ones, double Log2Count, double SurprisalPerSymbol, double Log2Probability, bool Typical);

/// <summary>The typical set T_ε of a Bernoulli(p) source, computed exactly by type classes.</summary>
/// <param name="P">Probability of a one.</param>
/// <param name="N">Sequence length.</param>
/// <param name="Epsilon">ε, in bits per symbol.</param>
/// <param name="EntropyBits">H(p) in bits.</param>
/// <param name="Log2Size">log2 |T_ε| (-inf when the set is empty).</param>
/// <param name="Probability">P(T_ε), the probability that a sequence is typical.</param>
/// <param name="Classes">Every type class k = 0..N.</param>
public sealed record TypicalSetSummary(double P, int N, double Epsilon, double EntropyBits, double Log2Size,
    double Probability, IReadOnlyList<TypeClass> Classes)
{
    /// <summary>N H(p), the exponent the AEP promises: |T_ε| is about 2^(N H(p)).</summary>
    public double NH => N * EntropyBits;

    /// <summary>log2 of the number of all 2^N sequences, N.</summary>
    public double Log2AllSequences => N;

    /// <summary>Whether the all-zeros sequence (k = 0) is typical.</summary>
    public bool AllZerosTypical => Classes[0].Typical;
}

/// <summary>The typical set of a Bernoulli source: sequences x of length N whose surprisal per symbol is within
/// ε of the entropy, |-(1/N) log2 P(x) - H(p)| &lt;= ε.</summary>
public static class TypicalSet
{
    /// <summary>The largest N enumerated (every type class k = 0..N is visited).</summary>
    public const int MaxLength = 100_000_000;

    /// <summary>Enumerates the type classes k = 0..N of a Bernoulli(p) source with log-gamma,
    /// log C(N, k) = lnΓ(N+1) - lnΓ(k+1) - lnΓ(N-k+1), and sums sizes and probabilities of the typical ones in
    /// log space (log-sum-exp), so nothing overflows for large N.</summary>
    /// <param name="p">Probability of a one, in [0, 1].</param>
    /// <param name="n">Sequence length N, 1..10^8.</param>
    /// <param name="epsilon">ε &gt;= 0 in bits per symbol, finite.</param>
    /// <remarks>0 log 0 = 0. For p = 0 or 1 only one sequence has positive probability; it is the whole typical
    /// set (surprisal 0 = H), and the impossible classes are not typical. Both |T_ε| &lt;= 2^(N(H+ε)) and
    /// P(T_ε) &gt;= 1 - Var/(N ε²) (Chebyshev) hold exactly.</remarks>
    /// <exception cref="ArgumentException">p, n or epsilon is out of range.</exception>
    public static TypicalSetSummary Bernoulli(double p, int n, double epsilon)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentException($"p is {Validate.Format(p)}, expected a probability in [0, 1]", nameof(p));
        }

        if (n < 1 || n > MaxLength)
        {
            throw new ArgumentException($"n is {n}, expected a sequence length in 1..{MaxLength}", nameof(n));
        }

        if (!(epsilon >= 0.0 && epsilon < double.PositiveInfinity))
        {
            throw new ArgumentException($"epsilon is {Validate.Format(epsilon)}, expected a finite number >= 0", nameof(epsilon));
        }

        double log2P = p > 0 ? Math.Log2(p) : double.NegativeInfinity;
        double log2Q = p < 1 ? Math.Log2(1 - p) : double.NegativeInfinity;
        double h = (p > 0 ? -p * log2P : 0.0) + (p < 1 ? -(1 - p) * log2Q : 0.0);
        double lnGammaN = SpecialFunctions.GammaLn(n + 1.0);
        var classes = new TypeClass[n + 1];
        var sizeAcc = new LogSumExp2();
        var probAcc = new LogSumExp2();
        for (int k = 0; k <= n; k++)
        {
            double log2Count = k == 0 || k == n
                ? 0.0
                : (lnGammaN - SpecialFunctions.GammaLn(k + 1.0) - SpecialFunctions.GammaLn(n - k + 1.0)) / Math.Log(2.0);
            // log2 P(one sequence) = k log2 p + (N - k) log2 (1 - p), with 0 · (-inf) = 0
            double log2Seq = (k > 0 ? k * log2P : 0.0) + (k < n ? (n - k) * log2Q : 0.0);
            double surprisal = -log2Seq / n;
            bool typical = double.IsFinite(surprisal) && Math.Abs(surprisal - h) <= epsilon;
            double log2Class = log2Count + log2Seq;
            classes[k] = new TypeClass(k, log2Count, surprisal, log2Class, typical);
            if (typical)
            {
                sizeAcc.Add(log2Count);
                probAcc.Add(log2Class);
            }
        }

        return new TypicalSetSummary(p, n, epsilon, h, sizeAcc.Log2Sum,
            Math.Min(1.0, Math.Pow(2.0, probAcc.Log2Sum)), classes);
    }

    /// <summary>Accumulates log2 of a sum of terms given by their log2, without overflow.</summary>
    private struct LogSumExp2
    {
        private double _max;
        private double _scaled; // sum of 2^(term - _max)
        private bool _any;

        public void Add(double log2Term)
        {
            if (double.IsNegativeInfinity(log2Term))
            {
                return;
            }

            if (!_any)
            {
                _max = log2Term;
                _scaled = 1.0;
                _any = true;
            }
            else if (log2Term <= _max)
            {
                _scaled += Math.Pow(2.0, log2Term - _max);
            }
            else
            {
                _scaled = _scaled * Math.Pow(2.0, _max - log2Term) + 1.0;
                _max = log2Term;
            }
        }

        public readonly double Log2Sum => _any ? _max + Math.Log2(_scaled) : double.NegativeInfinity;
    }
}
