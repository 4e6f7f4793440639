namespace Workbook.Core.Coding;

/// <summary>An immutable string of bits, packed most significant bit first: bit i is bit 7 - (i mod 8) of byte
/// i / 8. Its <see cref="Length"/> is counted in bits, so a code's length is measured exactly, not rounded up to
/// whole bytes.</summary>
public sealed class BitString
{
    private readonly byte[] _bytes;

    internal BitString(byte[] bytes, long length)
    {
        _bytes = bytes;
        Length = length;
    }

    /// <summary>The empty bit string.</summary>
    public static BitString Empty { get; } = new([], 0);

    /// <summary>Number of bits.</summary>
    public long Length { get; }

    /// <summary>The packed bytes, ceil(Length / 8) of them; the unused low bits of the last byte are 0.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Bit <paramref name="index"/> (0 or 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">index is not in [0, Length).</exception>
    public int this[long index]
    {
        get
        {
            if ((ulong)index >= (ulong)Length)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"expected a bit index in [0, {Length})");
            }

            return (_bytes[index >> 3] >> (7 - (int)(index & 7))) & 1;
        }
    }

    /// <summary>Parses a string of '0' and '1' characters (a code word as written in a textbook).</summary>
    /// <exception cref="ArgumentException">A character other than '0' or '1'.</exception>
    public static BitString Parse(string bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        var writer = new BitWriter();
        for (int i = 0; i < bits.Length; i++)
        {
            writer.WriteBit(bits[i] switch
            {
                '0' => 0,
                '1' => 1,
                _ => throw new ArgumentException($"bits[{i}] is '{bits[i]}', expected '0' or '1'", nameof(bits)),
            });
        }

        return writer.ToBitString();
    }

    /// <summary>The bits as '0' and '1' characters; at most <paramref name="maxBits"/> of them, followed by "…"
    /// when the string is longer.</summary>
    public string ToString(int maxBits)
    {
        long n = Math.Min(Length, Math.Max(0, maxBits));
        var chars = new char[n];
        for (long i = 0; i < n; i++)
        {
            chars[i] = (char)('0' + this[i]);
        }

        return n < Length ? new string(chars) + "…" : new string(chars);
    }

    /// <summary>The bits as '0' and '1' characters (the first 4096, then "…").</summary>
    public override string ToString() => ToString(4096);
}

/// <summary>Appends bits to a growing buffer and hands them out as a <see cref="BitString"/>.</summary>
public sealed class BitWriter
{
    private byte[] _buffer = new byte[64];
    private long _length;

    /// <summary>Number of bits written so far.</summary>
    public long Length => _length;

    /// <summary>Appends one bit (any nonzero <paramref name="bit"/> counts as 1).</summary>
    public void WriteBit(int bit)
    {
        long byteIndex = _length >> 3;
        if (byteIndex == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        if (bit != 0)
        {
            _buffer[byteIndex] |= (byte)(0x80 >> (int)(_length & 7));
        }

        _length++;
    }

    /// <summary>Appends the low <paramref name="count"/> bits of <paramref name="bits"/>, most significant first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is not in [0, 64].</exception>
    public void WriteBits(ulong bits, int count)
    {
        if ((uint)count > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "expected 0..64 bits");
        }

        for (int i = count - 1; i >= 0; i--)
        {
            WriteBit((int)((bits >> i) & 1));
        }
    }

    /// <summary>A copy of the bits written so far.</summary>
    public BitString ToBitString() => new(_buffer[..(int)((_length + 7) >> 3)], _length);
}

/// <summary>Reads a <see cref="BitString"/> bit by bit. Past the end it reads 0s when <c>padWithZeros</c> is set
/// (what an arithmetic decoder needs) and throws otherwise.</summary>
/// <param name="bits">The bits to read.</param>
/// <param name="padWithZeros">Read 0 past the end instead of throwing.</param>
public sealed class BitReader(BitString bits, bool padWithZeros = false)
{
    private readonly BitString _bits = bits ?? throw new ArgumentNullException(nameof(bits));

    /// <summary>Bits read so far (including padding bits).</summary>
    public long Position { get; private set; }

    /// <summary>Whether every bit of the string has been read.</summary>
    public bool AtEnd => Position >= _bits.Length;

    /// <summary>The next bit (0 or 1).</summary>
    /// <exception cref="InvalidOperationException">The string is exhausted and padding is off.</exception>
    public int ReadBit()
    {
        long i = Position++;
        if (i < _bits.Length)
        {
            return (_bits.Bytes[(int)(i >> 3)] >> (7 - (int)(i & 7))) & 1;
        }

        if (padWithZeros)
        {
            return 0;
        }

        throw new InvalidOperationException($"the bit string ends after {_bits.Length} bits; a code word is cut off");
    }
}
