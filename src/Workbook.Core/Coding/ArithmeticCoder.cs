namespace Workbook.Core.Coding;

/// <summary>The streaming arithmetic (range) encoder of Witten, Neal and Cleary (1987) with 32-bit integer
/// low/high: each symbol narrows [low, high] to its share f_s / T of the current range, and the settled leading
/// bits are written out as soon as they are known. Underflow (low and high straddling the middle) is handled by
/// counting pending bits, which are written, inverted, after the next settled bit.</summary>
/// <remarks>The whole sequence x_1..x_n costs at most -log2 prod_i q̂(x_i) + 2 bits, plus a rounding term
/// below n × 2^-29 / q̂_min bits (n symbols, q̂_min the smallest coded probability) from the integer interval widths: a code within 2 bits of the
/// model's surprisal of the sequence, the length the source coding theorem promises. The empty sequence costs 0
/// bits. The decoder must be told the number of symbols (there is no end-of-stream symbol).</remarks>
public sealed class ArithmeticEncoder
{
    internal const ulong Top = 0xFFFF_FFFF;
    internal const ulong Half = 1UL << 31;
    internal const ulong Quarter = 1UL << 30;
    internal const ulong ThreeQuarters = 3UL << 30;

    private readonly BitWriter _output;
    private ulong _low;
    private ulong _high = Top;
    private long _pending;
    private bool _finished;

    /// <summary>An encoder appending its bits to <paramref name="output"/>.</summary>
    public ArithmeticEncoder(BitWriter output) => _output = output ?? throw new ArgumentNullException(nameof(output));

    /// <summary>Number of symbols encoded so far.</summary>
    public long SymbolCount { get; private set; }

    /// <summary>Encodes <paramref name="symbol"/> with the frequencies <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The symbol is out of range or has frequency 0.</exception>
    /// <exception cref="InvalidOperationException">The encoder was finished.</exception>
    public void Encode(int symbol, FrequencyTable model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_finished)
        {
            throw new InvalidOperationException("the encoder is finished; start a new one for a new sequence");
        }

        if ((uint)symbol >= (uint)model.SymbolCount)
        {
            throw new ArgumentException($"symbol is {symbol}, expected a symbol in [0, {model.SymbolCount})", nameof(symbol));
        }

        if (model.Frequency(symbol) == 0)
        {
            throw new ArgumentException(
                $"symbol {symbol} has frequency 0 (probability 0 under the model): its code length is infinite",
                nameof(symbol));
        }

        EncodeUnchecked(model.Cumulative(symbol), model.Cumulative(symbol + 1), model.Total);
    }

    internal void EncodeUnchecked(ulong cumLow, ulong cumHigh, ulong total)
    {
        ulong range = _high - _low + 1;
        _high = _low + range * cumHigh / total - 1;
        _low += range * cumLow / total;
        while (true)
        {
            if (_high < Half)
            {
                Emit(0);
            }
            else if (_low >= Half)
            {
                Emit(1);
                _low -= Half;
                _high -= Half;
            }
            else if (_low >= Quarter && _high < ThreeQuarters)
            {
                _pending++;
                _low -= Quarter;
                _high -= Quarter;
            }
            else
            {
                break;
            }

            _low <<= 1;
            _high = (_high << 1) | 1;
        }

        SymbolCount++;
    }

    /// <summary>Writes the last bits: two bits (plus pending ones) that single out a point every continuation
    /// of which lies inside the final interval, so the decoder may read anything (it reads 0s) after them.
    /// Nothing is written for an empty sequence. Further calls do nothing.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (SymbolCount == 0)
        {
            return;
        }

        _pending++;
        Emit(_low < Quarter ? 0 : 1);
    }

    private void Emit(int bit)
    {
        _output.WriteBit(bit);
        for (; _pending > 0; _pending--)
        {
            _output.WriteBit(1 - bit);
        }
    }
}

/// <summary>The decoder matching <see cref="ArithmeticEncoder"/>: given the same sequence of frequency tables it
/// returns the encoded symbols exactly. It reads 0s past the end of the bits.</summary>
public sealed class ArithmeticDecoder
{
    private readonly BitReader _input;
    private ulong _low;
    private ulong _high = ArithmeticEncoder.Top;
    private ulong _value;

    /// <summary>A decoder reading <paramref name="bits"/>.</summary>
    public ArithmeticDecoder(BitString bits)
    {
        _input = new BitReader(bits ?? throw new ArgumentNullException(nameof(bits)), padWithZeros: true);
        for (int i = 0; i < 32; i++)
        {
            _value = (_value << 1) | (uint)_input.ReadBit();
        }
    }

    /// <summary>Decodes the next symbol, which was encoded with the frequencies <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">model has a different shape than the one used for encoding so that
    /// the decoded point falls outside it (only with corrupt input or a mismatched model).</exception>
    public int Decode(FrequencyTable model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ulong range = _high - _low + 1;
        ulong total = model.Total;
        ulong target = ((_value - _low + 1) * total - 1) / range;
        if (target >= total)
        {
            throw new ArgumentException("the bits do not decode under this model (corrupt input or another model)",
                nameof(model));
        }

        int symbol = model.Find((uint)target);
        ulong cumLow = model.Cumulative(symbol), cumHigh = model.Cumulative(symbol + 1);
        _high = _low + range * cumHigh / total - 1;
        _low += range * cumLow / total;
        while (true)
        {
            if (_high < ArithmeticEncoder.Half)
            {
            }
            else if (_low >= ArithmeticEncoder.Half)
            {
                _low -= ArithmeticEncoder.Half;
                _high -= ArithmeticEncoder.Half;
                _value -= ArithmeticEncoder.Half;
            }
            else if (_low >= ArithmeticEncoder.Quarter && _high < ArithmeticEncoder.ThreeQuarters)
            {
                _low -= ArithmeticEncoder.Quarter;
                _high -= ArithmeticEncoder.Quarter;
                _value -= ArithmeticEncoder.Quarter;
            }
            else
            {
                break;
            }

            _low <<= 1;
            _high = (_high << 1) | 1;
            _value = (_value << 1) | (uint)_input.ReadBit();
        }

        return symbol;
    }
}
