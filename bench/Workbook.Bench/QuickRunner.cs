using System.Diagnostics;
using System.Globalization;

namespace Workbook.Bench;

/// <summary>The quick mode: each case is warmed up, then timed over repeated calls for about half a second;
/// the median of the per-batch times is printed as <c>name: value unit</c>, one line per case.</summary>
/// <remarks>For a quick look and for CI smoke runs; the figures in bench/README.md come from the full
/// BenchmarkDotNet run.</remarks>
public static class QuickRunner
{
    public static int Run(string? filter)
    {
        var cases = typeof(QuickRunner).Assembly.GetTypes()
            .Where(t => typeof(IQuickBench).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .SelectMany(t => ((IQuickBench)Activator.CreateInstance(t)!).QuickCases())
            .Where(c => filter is null || c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .ToList();
        foreach (var c in cases)
        {
            double value = Measure(c);
            Console.WriteLine($"{c.Name}: {value.ToString("G4", CultureInfo.InvariantCulture)} {c.Unit}");
        }

        return 0;
    }

    private static double Measure(QuickCase c)
    {
        // Warm up (JIT tiers, caches) for ~150 ms or 3 calls.
        var warm = Stopwatch.StartNew();
        int warmCalls = 0;
        while (warmCalls < 3 || warm.ElapsedMilliseconds < 150)
        {
            c.Run();
            warmCalls++;
            if (warm.ElapsedMilliseconds > 3000)
            {
                break;
            }
        }

        double perCallNs = warm.Elapsed.TotalNanoseconds / warmCalls;
        int callsPerBatch = Math.Max(1, (int)(50e6 / Math.Max(perCallNs, 1)));  // ~50 ms batches
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (samples.Count < 5 || (total.ElapsedMilliseconds < 500 && samples.Count < 50))
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < callsPerBatch; i++)
            {
                c.Run();
            }

            samples.Add(sw.Elapsed.TotalNanoseconds / callsPerBatch);
        }

        samples.Sort();
        double medianNsPerCall = samples[samples.Count / 2];
        return c.Unit switch
        {
            "us/call" => medianNsPerCall / 1000.0,
            "ms/call" => medianNsPerCall / 1e6,
            "MB/s" => c.Elements / medianNsPerCall * 1e3,   // Elements bytes per call: bytes/ns = 1000 MB/s
            _ => medianNsPerCall / c.Elements,
        };
    }
}
