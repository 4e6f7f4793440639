using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace Workbook.Charts;

/// <summary>Charts a reader can move: a Plotly slider under the chart, one step per value of a knob (the model's
/// q, the number of draws n, the softmax temperature). Each step shows its own traces and hides the others'
/// (Plotly's <c>restyle</c> of <c>visible</c>); traces that do not depend on the knob stay visible throughout.
/// Everything is in the figure, so it moves with no kernel: in the HTML book, in nbconvert's HTML and in an editor.</summary>
public static class SliderChart
{
    /// <summary>A chart with a slider over <paramref name="values"/>: step i shows the traces of
    /// <c>chartFor(values[i])</c>; the traces of <paramref name="fixedCharts"/> are always shown.</summary>
    /// <param name="knob">What the slider sets, shown before the current value ("q = ").</param>
    /// <param name="values">The knob's values, in slider order (at least one, all finite).</param>
    /// <param name="chartFor">The traces for one value (at least one trace).</param>
    /// <param name="label">The step label for a value (default: the value in the shortest round-trip form).</param>
    /// <param name="active">The step shown first (0-based).</param>
    /// <param name="fixedCharts">Traces that do not depend on the knob (a reference line).</param>
    /// <exception cref="ArgumentException">No values, a value that is not finite, or a step without traces.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="active"/> is not a step.</exception>
    public static GenericChart Over(string knob, IReadOnlyList<double> values, Func<double, GenericChart> chartFor,
        Func<double, string>? label = null, int active = 0, IReadOnlyList<GenericChart>? fixedCharts = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(chartFor);
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"values[{i}] is {values[i]}, expected a finite number", nameof(values));
            }
        }

        label ??= v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return Steps(knob, values.Select(v => (label(v), chartFor(v))).ToList(), active, fixedCharts);
    }

    /// <summary>A chart with a slider over labelled steps: step i shows the traces of <c>steps[i].Chart</c>; the
    /// traces of <paramref name="fixedCharts"/> are always shown.</summary>
    /// <param name="knob">What the slider sets, shown before the current step's label ("n = ").</param>
    /// <param name="steps">Each step's label and traces (at least one step, each with at least one trace).</param>
    /// <param name="active">The step shown first (0-based).</param>
    /// <param name="fixedCharts">Traces that do not depend on the knob.</param>
    /// <exception cref="ArgumentException">No steps, or a step without traces.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="active"/> is not a step.</exception>
    public static GenericChart Steps(string knob, IReadOnlyList<(string Label, GenericChart Chart)> steps, int active = 0,
        IReadOnlyList<GenericChart>? fixedCharts = null)
    {
        ArgumentNullException.ThrowIfNull(knob);
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
        {
            throw new ArgumentException("steps is empty; a slider needs at least one step", nameof(steps));
        }

        if (active < 0 || active >= steps.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(active), active, $"expected a step index from 0 to {steps.Count - 1}");
        }

        // Which step each trace belongs to, in the order of the combined chart: the steps' traces, then the fixed ones.
        var owners = new List<int>();
        var charts = new List<GenericChart>();
        for (int s = 0; s < steps.Count; s++)
        {
            int count = GenericChart.countTrace(steps[s].Chart);
            if (count == 0)
            {
                throw new ArgumentException($"step {s} ('{steps[s].Label}') has no traces", nameof(steps));
            }

            owners.AddRange(Enumerable.Repeat(s, count));
            charts.Add(steps[s].Chart);
        }

        foreach (var chart in fixedCharts ?? [])
        {
            owners.AddRange(Enumerable.Repeat(-1, GenericChart.countTrace(chart)));
            charts.Add(chart);
        }

        var combined = Plot.Combine([.. charts]);
        combined = GenericChart.mapiTrace(
            FuncConvert.FromFunc<int, Trace, Trace>((i, trace) =>
            {
                trace.SetProperty("visible", owners[i] < 0 || owners[i] == active);
                return trace;
            }), combined);

        var sliderSteps = steps.Select((step, s) => SliderStep.init(
            Args: Some<IEnumerable<Tuple<string, object>>>(
                [Tuple.Create<string, object>("visible", owners.Select(o => o < 0 || o == s).ToArray())]),
            Execute: null,
            Label: Some(step.Label),
            Method: Some(StyleParam.Method.Restyle),
            Name: null,
            TemplateItemName: null,
            Value: Some(step.Label),
            Visible: null)).ToList();
        var slider = Slider.init(
            Active: Some(active),
            ActiveBgColor: null, BgColor: null, BorderColor: null, BorderWidth: null,
            CurrentValue: Some(SliderCurrentValue.init(Font: null, Offset: null, Prefix: Some(knob), Suffix: null,
                Visible: Some(true), XAnchor: null)),
            Font: null, Len: null, LenMode: null, MinorTickLen: null, Name: null,
            Padding: Some(Padding.init(B: null, L: null, R: null, T: Some(60))),
            Steps: Some<IEnumerable<SliderStep>>(sliderSteps),
            TemplateItemName: null, TickColor: null, TickLen: null, TickWidth: null, Transition: null,
            Visible: null, X: null, XAnchor: null, Y: null, YAnchor: null);
        return Chart.withSliders(new[] { slider }, null).Invoke(combined);
    }

    private static FSharpOption<T> Some<T>(T value) => FSharpOption<T>.Some(value);
}
