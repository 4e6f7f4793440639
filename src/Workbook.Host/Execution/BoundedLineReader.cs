using System.Text;

namespace Workbook.Host.Execution;

/// <summary>Reads UTF-8 lines from a stream a hostile process writes, holding at most <c>maxBytes</c> of one line
/// in memory: a longer line is reported as too long (its bytes up to the limit are kept, the rest is skipped up to
/// its end), so a giant line or an endless write without a newline never exhausts this process's memory.</summary>
internal sealed class BoundedLineReader(Stream stream, int maxBytes)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _line = new();
    private int _start;
    private int _end;

    /// <summary>Bytes read so far, newlines included.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next line without its newline and whether it was longer than the limit (then the text is its
    /// first bytes); null at the end of the stream. When <paramref name="stopAtLimit"/> is set, a line over the limit
    /// is returned as soon as the limit is reached, without reading on to its end.</summary>
    public async Task<(string Text, bool TooLong)?> ReadLineAsync(bool stopAtLimit = false)
    {
        _line.SetLength(0);
        bool tooLong = false;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer);
                if (_end == 0)
                {
                    return _line.Length == 0 && !tooLong ? null : (Decode(), tooLong);
                }

                BytesRead += _end;
            }

            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            int room = maxBytes - (int)_line.Length;
            int take = Math.Min(stop - _start, Math.Max(0, room));
            _line.Write(_buffer, _start, take);
            if (stop - _start > take)
            {
                tooLong = true;
            }

            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0 || (tooLong && stopAtLimit))
            {
                if (tooLong && stopAtLimit && newline < 0)
                {
                    _start = _end;
                }

                return (Decode(), tooLong);
            }
        }
    }

    private string Decode()
    {
        int length = (int)_line.Length;
        if (length > 0 && _line.GetBuffer()[length - 1] == '\r')
        {
            length--;
        }

        return Encoding.UTF8.GetString(_line.GetBuffer(), 0, length);
    }
}
