using BenchmarkDotNet.Attributes;
using Workbook.Core;

namespace Workbook.Bench;

/// <summary>Cross-entropy from logits (forward, Mean), softmax and log-softmax on 4096x1000 and 65536x10, float64
/// and float32, and BCE with logits on 1e6 elements. One thread.</summary>
[MemoryDiagnoser]
public class LossBenchmarks : IQuickBench
{
    [Params("4096x1000", "65536x10")]
    public string Shape { get; set; } = "4096x1000";

    private double[] _x = [];
    private float[] _xf = [];
    private int[] _t = [];
    private double[] _dst = [];
    private int _classes;
    private double[] _bx = [];
    private double[] _by = [];

    [GlobalSetup]
    public void Setup() => Setup(Shape);

    private void Setup(string shape)
    {
        var parts = shape.Split('x');
        int rows = int.Parse(parts[0]);
        _classes = int.Parse(parts[1]);
        var rng = new Random(20241124);
        _x = new double[rows * _classes];
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = 4.0 * (rng.NextDouble() - 0.5);
        }

        _xf = Array.ConvertAll(_x, v => (float)v);
        _t = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            _t[i] = rng.Next(_classes);
        }

        _dst = new double[_x.Length];
        _bx = new double[1_000_000];
        _by = new double[_bx.Length];
        for (int i = 0; i < _bx.Length; i++)
        {
            _bx[i] = 8.0 * (rng.NextDouble() - 0.5);
            _by[i] = rng.Next(2);
        }
    }

    [Benchmark]
    public double CrossEntropyF64() => Losses.CrossEntropy(_x, _classes, _t);

    [Benchmark]
    public float CrossEntropyF32() => Losses.CrossEntropy(_xf, _classes, _t);

    [Benchmark]
    public void Softmax() => SoftmaxFunctions.SoftmaxRows(_x, _classes, _dst);

    [Benchmark]
    public void LogSoftmax() => SoftmaxFunctions.LogSoftmaxRows(_x, _classes, _dst);

    [Benchmark]
    public double BceWithLogits() => Losses.BinaryCrossEntropyWithLogits(_bx, _by);

    public IEnumerable<QuickCase> QuickCases()
    {
        foreach (string shape in new[] { "4096x1000", "65536x10" })
        {
            var b = new LossBenchmarks();
            b.Setup(shape);
            double n = b._x.Length;
            yield return new QuickCase($"ce_logits_f64_{shape}", n, "ns/element", () => b.CrossEntropyF64());
            yield return new QuickCase($"ce_logits_f32_{shape}", n, "ns/element", () => b.CrossEntropyF32());
            yield return new QuickCase($"softmax_f64_{shape}", n, "ns/element", b.Softmax);
            yield return new QuickCase($"log_softmax_f64_{shape}", n, "ns/element", b.LogSoftmax);
            if (shape == "65536x10")
            {
                yield return new QuickCase("bce_logits_f64_1e6", b._bx.Length, "ns/element", () => b.BceWithLogits());
            }
        }
    }
}
