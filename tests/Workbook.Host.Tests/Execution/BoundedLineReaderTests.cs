using System.Text;
using Workbook.Host.Execution;

namespace Workbook.Host.Tests.Execution;

public sealed class BoundedLineReaderTests
{
    /// <summary>A stream of <paramref name="length"/> copies of <paramref name="fill"/> then <paramref name="tail"/>,
    /// made on the fly (never held in memory).</summary>
    private sealed class Endless(long length, byte fill, byte[] tail) : Stream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            long total = length + tail.Length;
            int n = (int)Math.Min(count, total - _position);
            for (int i = 0; i < n; i++, _position++)
            {
                buffer[offset + i] = _position < length ? fill : tail[_position - length];
            }

            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Lines_come_back_without_their_newlines_and_the_end_is_null()
    {
        var reader = new BoundedLineReader(new MemoryStream(Encoding.UTF8.GetBytes("one\r\ntwo\n\nlast é")), 100);

        Assert.Equal(("one", false), await reader.ReadLineAsync());
        Assert.Equal(("two", false), await reader.ReadLineAsync());
        Assert.Equal(("", false), await reader.ReadLineAsync());
        Assert.Equal(("last é", false), await reader.ReadLineAsync());
        Assert.Null(await reader.ReadLineAsync());
        Assert.Equal(17, reader.BytesRead);
    }

    [Fact]
    public async Task A_giant_line_is_cut_at_the_limit_without_holding_it_and_the_next_line_is_read()
    {
        const long giant = 200L << 20;   // 200 MiB without a newline
        var reader = new BoundedLineReader(new Endless(giant, (byte)'x', "\nnext\n"u8.ToArray()), 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var first = await reader.ReadLineAsync();
        var second = await reader.ReadLineAsync();

        Assert.True(first!.Value.TooLong);
        Assert.Equal(1 << 20, first.Value.Text.Length);
        Assert.Equal(("next", false), second);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16L << 20,
            "reading a 200 MiB line allocated more than 16 MiB");
    }

    [Fact]
    public async Task Stopping_at_the_limit_returns_before_the_rest_of_the_line_is_read()
    {
        var reader = new BoundedLineReader(new Endless(long.MaxValue / 2, (byte)'y', []), 4096);

        var line = await reader.ReadLineAsync(stopAtLimit: true).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(line!.Value.TooLong);
        Assert.True(reader.BytesRead < 1 << 20);
    }

    [Fact]
    public async Task A_line_of_exactly_the_limit_is_not_too_long()
    {
        var reader = new BoundedLineReader(new MemoryStream("abcd\nabcde\n"u8.ToArray()), 4);

        Assert.Equal(("abcd", false), await reader.ReadLineAsync());
        Assert.Equal(("abcd", true), await reader.ReadLineAsync());
    }
}
