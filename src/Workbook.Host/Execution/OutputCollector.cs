namespace Workbook.Host.Execution;

/// <summary>Folds the outputs a cell streams into the outputs a saved notebook keeps: consecutive writes to the
/// same stream are merged, and a <see cref="DisplayUpdateOutput"/> replaces the display it names in place (as
/// Jupyter front ends do with update_display_data); an update of a display this cell did not show is dropped.</summary>
internal sealed class OutputCollector
{
    private readonly List<CellOutput> _outputs = [];
    private readonly Dictionary<string, int> _displays = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Adds one streamed output.</summary>
    public void Add(CellOutput output)
    {
        lock (_gate)
        {
            switch (output)
            {
                case StreamOutput s when _outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == s.Name:
                    _outputs[^1] = last with { Text = last.Text + s.Text };
                    break;
                case DisplayUpdateOutput u:
                    if (_displays.TryGetValue(u.DisplayId, out int at))
                    {
                        _outputs[at] = new DisplayOutput(u.Data, u.DisplayId);
                    }

                    break;
                case DisplayOutput { DisplayId: { } id } d:
                    _displays[id] = _outputs.Count;
                    _outputs.Add(d);
                    break;
                default:
                    _outputs.Add(output);
                    break;
            }
        }
    }

    /// <summary>The folded outputs so far, in order.</summary>
    public IReadOnlyList<CellOutput> Outputs
    {
        get
        {
            lock (_gate)
            {
                return _outputs.ToList();
            }
        }
    }
}
