namespace Workbook.Core.Coding;

/// <summary>A canonical Huffman code for a distribution p over the symbols 0..K-1: a prefix code whose expected
/// length L = sum_i p_i l_i is the smallest of all prefix codes, with H(p) &lt;= L &lt; H(p) + 1 bits. For a dyadic
/// p (every p_i a power of 1/2) each length equals the surprisal, l_i = -log2 p_i, and L = H(p).</summary>
/// <remarks>The code words are canonical: symbols sorted by (length, symbol) get consecutive binary numbers, so
/// the lengths alone define the code. A symbol with p_i = 0 gets no code word (length 0) and cannot be encoded.
/// When only one symbol has positive probability its code word is empty (length 0): the sequence is certain and
/// costs 0 bits, and the decoder needs only the number of symbols. Ties between equal probabilities are broken by
/// the lower symbol index, so the code is the same on every machine.</remarks>
public sealed class HuffmanCode
{
    /// <summary>The longest code word supported, in bits.</summary>
    public const int MaxCodeLength = 64;

    private readonly int[] _lengths;
    private readonly ulong[] _codes;
    // canonical decoding tables, indexed by length: first code of that length, and where its symbols start
    private readonly ulong[] _firstCode;
    private readonly int[] _firstIndex;
    private readonly int[] _countOfLength;
    private readonly int[] _sortedSymbols;
    private readonly int _single = -1;

    private HuffmanCode(int[] lengths, int single = -1)
    {
        _lengths = lengths;
        _single = single;
        int k = lengths.Length;
        _codes = new ulong[k];
        int maxLength = lengths.Max();
        _countOfLength = new int[maxLength + 1];
        foreach (int l in lengths)
        {
            if (l > 0)
            {
                _countOfLength[l]++;
            }
        }

        _sortedSymbols = Enumerable.Range(0, k).Where(s => lengths[s] > 0)
            .OrderBy(s => lengths[s]).ThenBy(s => s).ToArray();
        _firstCode = new ulong[maxLength + 1];
        _firstIndex = new int[maxLength + 1];
        ulong code = 0;
        int index = 0;
        for (int l = 1; l <= maxLength; l++)
        {
            code <<= 1;
            _firstCode[l] = code;
            _firstIndex[l] = index;
            code += (ulong)_countOfLength[l];
            index += _countOfLength[l];
        }

        for (int j = 0; j < _sortedSymbols.Length; j++)
        {
            int s = _sortedSymbols[j];
            int l = lengths[s];
            _codes[s] = _firstCode[l] + (ulong)(j - _firstIndex[l]);
        }
    }

    /// <summary>Builds the Huffman code of <paramref name="p"/>: repeatedly merges the two least probable
    /// subtrees; a symbol's code length is its depth in the tree.</summary>
    /// <param name="p">A probability vector (entries in [0, 1] summing to 1 ± <paramref name="tolerance"/>).</param>
    /// <param name="tolerance">Allowed |sum(p) - 1|.</param>
    /// <exception cref="ArgumentException">p is not a distribution, or a code word would be longer than
    /// <see cref="MaxCodeLength"/> bits (probabilities spanning more than about 2^-64).</exception>
    public static HuffmanCode Build(ReadOnlySpan<double> p, double tolerance = Validate.DefaultSumTolerance)
    {
        Validate.Distribution(p, nameof(p), tolerance);
        int k = p.Length;
        var lengths = new int[k];
        var live = new List<int>();
        for (int s = 0; s < k; s++)
        {
            if (p[s] > 0.0)
            {
                live.Add(s);
            }
        }

        if (live.Count == 1)
        {
            return new HuffmanCode(lengths, live[0]);
        }

        // nodes 0..k-1 are leaves; merged nodes follow. Priority: (weight, creation order) for determinism.
        var parent = new List<int>(new int[k]);
        var queue = new PriorityQueue<int, (double Weight, int Order)>();
        foreach (int s in live)
        {
            queue.Enqueue(s, (p[s], s));
        }

        int next = k;
        while (queue.Count > 1)
        {
            queue.TryDequeue(out int a, out var pa);
            queue.TryDequeue(out int b, out var pb);
            parent.Add(-1);
            parent[a] = next;
            parent[b] = next;
            queue.Enqueue(next, (pa.Weight + pb.Weight, next));
            next++;
        }

        int root = next - 1;
        parent[root] = -1;
        foreach (int s in live)
        {
            int depth = 0;
            for (int node = s; node != root; node = parent[node])
            {
                depth++;
            }

            if (depth > MaxCodeLength)
            {
                throw new ArgumentException(
                    $"p gives symbol {s} a code word of {depth} bits, more than the {MaxCodeLength} supported; " +
                    "p has probabilities too small to code", nameof(p));
            }

            lengths[s] = depth;
        }

        return new HuffmanCode(lengths);
    }

    /// <summary>Number of symbols K (including those of probability 0).</summary>
    public int SymbolCount => _lengths.Length;

    /// <summary>The code length of each symbol in bits (0 for a symbol of probability 0, and for the only
    /// symbol of a certain distribution).</summary>
    public IReadOnlyList<int> Lengths => _lengths;

    /// <summary>The code word of <paramref name="symbol"/> as '0'/'1' characters ("" when its length is 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">symbol is not in [0, K).</exception>
    public string CodeWord(int symbol)
    {
        CheckSymbol(symbol, nameof(symbol));
        int l = _lengths[symbol];
        var chars = new char[l];
        for (int i = 0; i < l; i++)
        {
            chars[i] = (char)('0' + (int)((_codes[symbol] >> (l - 1 - i)) & 1));
        }

        return new string(chars);
    }

    /// <summary>Kraft's sum sum_i 2^(-l_i) over the symbols that have a code word (or 1 for a certain
    /// distribution, whose empty code word has 2^0 = 1). A prefix code has Kraft sum &lt;= 1; a Huffman code
    /// has exactly 1.</summary>
    public double KraftSum()
    {
        if (_sortedSymbols.Length == 0)
        {
            return 1.0;
        }

        double sum = 0.0;
        foreach (int l in _lengths)
        {
            if (l > 0)
            {
                sum += Math.ScaleB(1.0, -l);
            }
        }

        return sum;
    }

    /// <summary>Expected code length L = sum_i p_i l_i in bits under <paramref name="p"/> (the distribution
    /// the code was built for, or another one: then L is the cost of coding p with this code).</summary>
    /// <returns>+inf when p gives positive probability to a symbol without a code word.</returns>
    /// <exception cref="ArgumentException">p is not a distribution of K entries.</exception>
    public double ExpectedLength(ReadOnlySpan<double> p, double tolerance = Validate.DefaultSumTolerance)
    {
        Validate.Distribution(p, nameof(p), tolerance);
        Validate.SameLength(SymbolCount, p.Length, nameof(p), "the code's symbols");
        double sum = 0.0;
        for (int s = 0; s < p.Length; s++)
        {
            if (p[s] > 0.0)
            {
                if (!HasCodeWord(s))
                {
                    return double.PositiveInfinity;
                }

                sum += p[s] * _lengths[s];
            }
        }

        return sum;
    }

    /// <summary>Whether <paramref name="symbol"/> can be encoded.</summary>
    public bool HasCodeWord(int symbol) =>
        (uint)symbol < (uint)_lengths.Length && (_lengths[symbol] > 0 || symbol == _single);

    /// <summary>Encodes <paramref name="symbols"/> by concatenating their code words.</summary>
    /// <exception cref="ArgumentException">A symbol is out of range or has no code word (probability 0).</exception>
    public BitString Encode(ReadOnlySpan<int> symbols)
    {
        var writer = new BitWriter();
        Encode(symbols, writer);
        return writer.ToBitString();
    }

    /// <summary>Appends the code words of <paramref name="symbols"/> to <paramref name="output"/> (streaming).</summary>
    /// <exception cref="ArgumentException">A symbol is out of range or has no code word (probability 0).</exception>
    public void Encode(ReadOnlySpan<int> symbols, BitWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            if (!HasCodeWord(s))
            {
                throw new ArgumentException(
                    (uint)s < (uint)SymbolCount
                        ? $"symbols[{i}] is {s}, which has probability 0 and no code word"
                        : $"symbols[{i}] is {s}, expected a symbol in [0, {SymbolCount})", nameof(symbols));
            }

            output.WriteBits(_codes[s], _lengths[s]);
        }
    }

    /// <summary>Decodes <paramref name="count"/> symbols from <paramref name="bits"/>.</summary>
    /// <exception cref="ArgumentException">count is negative, the bits end inside a code word, or bits are left over.</exception>
    public int[] Decode(BitString bits, int count)
    {
        ArgumentNullException.ThrowIfNull(bits);
        if (count < 0)
        {
            throw new ArgumentException($"count is {count}, expected a number of symbols >= 0", nameof(count));
        }

        var reader = new BitReader(bits);
        var result = new int[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                result[i] = DecodeOne(reader);
            }
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"bits ({bits.Length} bits) hold fewer than {count} symbols: {e.Message}",
                nameof(bits), e);
        }

        if (!reader.AtEnd)
        {
            throw new ArgumentException(
                $"bits has {bits.Length - reader.Position} bits left over after {count} symbols", nameof(bits));
        }

        return result;
    }

    /// <summary>Reads one code word from <paramref name="reader"/> (streaming decoding).</summary>
    /// <exception cref="InvalidOperationException">The bits end inside a code word.</exception>
    public int DecodeOne(BitReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (_sortedSymbols.Length == 0)
        {
            return _single;
        }

        ulong code = 0;
        for (int l = 1; l < _firstCode.Length; l++)
        {
            code = (code << 1) | (uint)reader.ReadBit();
            ulong offset = code - _firstCode[l];
            if (code >= _firstCode[l] && offset < (ulong)_countOfLength[l])
            {
                return _sortedSymbols[_firstIndex[l] + (int)offset];
            }
        }

        throw new InvalidOperationException("no code word matches the bits read"); // unreachable for a complete code
    }

    private void CheckSymbol(int symbol, string name)
    {
        if ((uint)symbol >= (uint)SymbolCount)
        {
            throw new ArgumentOutOfRangeException(name, symbol, $"expected a symbol in [0, {SymbolCount})");
        }
    }
}
