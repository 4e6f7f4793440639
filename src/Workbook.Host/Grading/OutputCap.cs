using System.Text;
using Workbook.Host.Execution;

namespace Workbook.Host.Grading;

/// <summary>Keeps what a graded notebook's cells print within bounds: at most <c>cellBytes</c> per cell and
/// <c>notebookBytes</c> for the whole notebook (UTF-8 bytes of text, and of each MIME bundle's values). Text past
/// a limit is cut, and displays past it are dropped; a cell where something was cut gets a note as its last output,
/// so the feedback shows where. Errors are always kept, their lines shortened.</summary>
internal sealed class OutputCap(long cellBytes, long notebookBytes, long alreadyUsed = 0)
{
    private const int ErrorLineChars = 2000;
    private const int ErrorLines = 40;
    private long _notebookUsed = alreadyUsed;

    /// <summary>Starts a cell: outputs go through the returned cell cap into <paramref name="collector"/>.</summary>
    public Cell StartCell(OutputCollector collector) => new(this, collector);

    /// <summary>The cap of one cell.</summary>
    public sealed class Cell(OutputCap owner, OutputCollector collector)
    {
        private readonly Lock _gate = new();
        private long _used;
        private string? _cut;

        /// <summary>Adds an output, cut to what the limits leave.</summary>
        public void Add(CellOutput output)
        {
            lock (_gate)
            {
                if (output is ErrorOutput e)
                {
                    collector.Add(Shorten(e));
                    return;
                }

                long room = Math.Min(owner.CellRoom(_used), owner.NotebookRoom);
                long size = SizeOf(output);
                if (size <= room)
                {
                    Use(size);
                    collector.Add(output);
                    return;
                }

                _cut ??= owner.NotebookRoom <= owner.CellRoom(_used)
                    ? $"[output cut: the notebook's outputs reached the grader's limit of {Errors.Size(owner.NotebookBytesLimit)}; the rest is not recorded]"
                    : $"[output cut: this cell's output reached the grader's limit of {Errors.Size(owner.CellBytesLimit)}; the rest is not recorded]";
                if (output is StreamOutput s && room > 0)
                {
                    string head = Prefix(s.Text, (int)room);
                    Use(Encoding.UTF8.GetByteCount(head));
                    collector.Add(s with { Text = head });
                }
            }
        }

        /// <summary>Ends the cell: adds the note when something was cut.</summary>
        public void Finish()
        {
            lock (_gate)
            {
                if (_cut is not null)
                {
                    collector.Add(new StreamOutput("stderr", "\n" + _cut + "\n"));
                }
            }
        }

        /// <summary>The note, when something of this cell was cut; else null.</summary>
        public string? CutNote
        {
            get
            {
                lock (_gate)
                {
                    return _cut;
                }
            }
        }

        private void Use(long size)
        {
            _used += size;
            Interlocked.Add(ref owner._notebookUsed, size);
        }
    }

    private long CellBytesLimit => cellBytes;

    private long NotebookBytesLimit => notebookBytes;

    private long CellRoom(long used) => Math.Max(0, cellBytes - used);

    private long NotebookRoom => Math.Max(0, notebookBytes - Interlocked.Read(ref _notebookUsed));

    private static long SizeOf(CellOutput output) => output switch
    {
        StreamOutput s => Encoding.UTF8.GetByteCount(s.Text),
        DisplayOutput d => d.Data.Sum(kv => (long)kv.Key.Length + Encoding.UTF8.GetByteCount(kv.Value)),
        DisplayUpdateOutput u => u.Data.Sum(kv => (long)kv.Key.Length + Encoding.UTF8.GetByteCount(kv.Value)),
        ReturnValueOutput r => r.Data.Sum(kv => (long)kv.Key.Length + Encoding.UTF8.GetByteCount(kv.Value)),
        _ => 0,
    };

    /// <summary>The longest prefix of <paramref name="text"/> that fits <paramref name="bytes"/> UTF-8 bytes.</summary>
    private static string Prefix(string text, int bytes)
    {
        int chars = Math.Min(text.Length, bytes);
        while (chars > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, chars)) > bytes)
        {
            chars = Math.Max(0, chars - Math.Max(1, (Encoding.UTF8.GetByteCount(text.AsSpan(0, chars)) - bytes) / 4));
        }

        if (chars > 0 && char.IsHighSurrogate(text[chars - 1]))
        {
            chars--;
        }

        return text[..chars];
    }

    private static ErrorOutput Shorten(ErrorOutput e) => e with
    {
        Message = Clip(e.Message),
        Traceback = e.Traceback.Count > ErrorLines
            ? [.. e.Traceback.Take(ErrorLines).Select(Clip), $"... {e.Traceback.Count - ErrorLines} more lines"]
            : [.. e.Traceback.Select(Clip)],
    };

    private static string Clip(string line) =>
        line.Length <= ErrorLineChars ? line : line[..ErrorLineChars] + " [... cut]";
}
