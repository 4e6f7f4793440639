using System.Numerics;
using System.Runtime.CompilerServices;

namespace Workbook.Core.Simulation;

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a 64-bit generator used here only to expand a seed into
/// the 256-bit state of <see cref="Xoshiro256StarStar"/>, as Blackman and Vigna recommend.</summary>
/// <remarks>x += 0x9E3779B97F4A7C15; z = x; z = (z ^ (z &gt;&gt; 30)) * 0xBF58476D1CE4E5B9;
/// z = (z ^ (z &gt;&gt; 27)) * 0x94D049BB133111EB; return z ^ (z &gt;&gt; 31). Every seed, including 0, is valid.</remarks>
internal struct SplitMix64
{
    private ulong _x;

    /// <summary>A SplitMix64 stream starting from <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _x = seed;

    /// <summary>The next 64-bit output.</summary>
    public ulong Next()
    {
        ulong z = _x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The xoshiro256** generator (Blackman and Vigna 2018): 256 bits of state, period 2^256 - 1, one 64-bit
/// output per step. The same seed gives the same numbers bit for bit on every run and machine.</summary>
/// <remarks>
/// <para>Output: rotl(s1 * 5, 7) * 9; state step: t = s1 &lt;&lt; 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
/// s2 ^= t; s3 = rotl(s3, 45).</para>
/// <para>A mutable struct: pass it by <c>ref</c> so the caller's stream advances. Copying it copies the stream.
/// Independent streams for parallel or repeated runs come from <see cref="Streams"/>, which applies
/// <see cref="Jump"/> (2^128 steps) between them, so the streams never overlap.</para>
/// <para>The all-zero state is the one invalid state; seeding through SplitMix64 never produces it.</para>
/// </remarks>
public struct Xoshiro256StarStar
{
    internal ulong S0, S1, S2, S3;

    /// <summary>A generator whose state is four successive SplitMix64 outputs from <paramref name="seed"/>.</summary>
    /// <remarks>Any 64-bit seed is valid, including 0.</remarks>
    public Xoshiro256StarStar(ulong seed)
    {
        var sm = new SplitMix64(seed);
        S0 = sm.Next();
        S1 = sm.Next();
        S2 = sm.Next();
        S3 = sm.Next();
    }

    /// <summary>A generator with the given raw state (for test vectors).</summary>
    /// <exception cref="ArgumentException">All four words are zero.</exception>
    public static Xoshiro256StarStar FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0)
        {
            throw new ArgumentException("state is all zero, which xoshiro256** never leaves", nameof(s0));
        }

        return new Xoshiro256StarStar { S0 = s0, S1 = s1, S2 = s2, S3 = s3 };
    }

    /// <summary><paramref name="count"/> non-overlapping streams: stream 0 is <c>new Xoshiro256StarStar(seed)</c>,
    /// and stream r + 1 is stream r after <see cref="Jump"/>.</summary>
    /// <remarks>Each stream has 2^128 outputs before it reaches the next one. Count 0 gives an empty array.</remarks>
    /// <exception cref="ArgumentException"><paramref name="count"/> is negative.</exception>
    public static Xoshiro256StarStar[] Streams(ulong seed, int count)
    {
        if (count < 0)
        {
            throw new ArgumentException($"count is {count}, expected >= 0", nameof(count));
        }

        var result = new Xoshiro256StarStar[count];
        var g = new Xoshiro256StarStar(seed);
        for (int i = 0; i < count; i++)
        {
            result[i] = g;
            g.Jump();
        }

        return result;
    }

    /// <summary>The next 64-bit output, uniform on [0, 2^64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(S1 * 5, 7) * 9;
        ulong t = S1 << 17;
        S2 ^= S0;
        S3 ^= S1;
        S1 ^= S2;
        S0 ^= S3;
        S2 ^= t;
        S3 = BitOperations.RotateLeft(S3, 45);
        return result;
    }

    /// <summary>A uniform double on [0, 1): (x &gt;&gt; 11) * 2^-53, so every multiple of 2^-53 is equally likely.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double on the open interval (0, 1): ((x &gt;&gt; 11) + 0.5) * 2^-53. Never 0 or 1, so its
    /// logarithm and 1/u are always finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDoubleOpen() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Advances the state by 2^128 steps, as if <see cref="NextUInt64"/> were called 2^128 times.</summary>
    /// <remarks>Uses the published jump polynomial; costs about 256 steps.</remarks>
    public void Jump()
    {
        ReadOnlySpan<ulong> jump = [0x180ec6d33cfd0abaUL, 0xd5a61266f0c9392cUL, 0xa9582618e03fc9aaUL, 0x39abdc4529b1661cUL];
        ulong s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        foreach (ulong j in jump)
        {
            for (int b = 0; b < 64; b++)
            {
                if ((j & (1UL << b)) != 0)
                {
                    s0 ^= S0;
                    s1 ^= S1;
                    s2 ^= S2;
                    s3 ^= S3;
                }

                NextUInt64();
            }
        }

        S0 = s0;
        S1 = s1;
        S2 = s2;
        S3 = s3;
    }
}
