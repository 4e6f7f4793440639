namespace Workbook.Core.Coding;

/// <summary>The characters of a text numbered 0..K-1 in ordinal order, so that a text becomes a sequence of
/// symbols for the models and coders.</summary>
public sealed class TextAlphabet
{
    private readonly char[] _chars;
    private readonly Dictionary<char, int> _index;

    private TextAlphabet(char[] chars)
    {
        _chars = chars;
        _index = new Dictionary<char, int>(chars.Length);
        for (int i = 0; i < chars.Length; i++)
        {
            _index[chars[i]] = i;
        }
    }

    /// <summary>The distinct characters (UTF-16 code units) of <paramref name="text"/>, sorted.</summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    public static TextAlphabet Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new ArgumentException("text is empty, expected at least one character", nameof(text));
        }

        var chars = text.Distinct().ToArray();
        Array.Sort(chars);
        return new TextAlphabet(chars);
    }

    /// <summary>Number of symbols K.</summary>
    public int Count => _chars.Length;

    /// <summary>The character of symbol <paramref name="symbol"/>.</summary>
    public char this[int symbol] => _chars[symbol];

    /// <summary>The characters, in symbol order.</summary>
    public IReadOnlyList<char> Characters => _chars;

    /// <summary>Maps each character of <paramref name="text"/> to its symbol.</summary>
    /// <exception cref="ArgumentException">A character is not in the alphabet.</exception>
    public int[] ToSymbols(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var symbols = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_index.TryGetValue(text[i], out symbols[i]))
            {
                throw new ArgumentException(
                    $"text[{i}] is U+{(int)text[i]:X4}, which is not in the alphabet of {Count} characters", nameof(text));
            }
        }

        return symbols;
    }

    /// <summary>Maps symbols back to text.</summary>
    /// <exception cref="ArgumentException">A symbol is out of range.</exception>
    public string ToText(ReadOnlySpan<int> symbols)
    {
        var chars = new char[symbols.Length];
        for (int i = 0; i < symbols.Length; i++)
        {
            int s = symbols[i];
            if ((uint)s >= (uint)Count)
            {
                throw new ArgumentException($"symbols[{i}] is {s}, expected a symbol in [0, {Count})", nameof(symbols));
            }

            chars[i] = _chars[s];
        }

        return new string(chars);
    }
}
