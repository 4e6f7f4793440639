using System.Collections.Concurrent;
using System.Text.Json;

namespace Workbook.Core.Tests;

/// <summary>Every case of every data/reference/loss/*.json file (schema in /work/shared/reference/README.md) is one
/// test case, "file.json::case-id"; a new file is new cases with no code change. Gradients are checked too.</summary>
public class LossReferenceTests
{
    private static readonly ConcurrentDictionary<string, Dictionary<string, JsonElement>> Files = new();

    public static IEnumerable<object[]> Cases()
    {
        foreach (string path in Directory.GetFiles(RepoPaths.Data("reference", "loss"), "*.json").Order())
        {
            foreach (var id in Load(Path.GetFileName(path)).Keys)
            {
                yield return [$"{Path.GetFileName(path)}::{id}"];
            }
        }
    }

    private static Dictionary<string, JsonElement> Load(string file) => Files.GetOrAdd(file, f =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Data("reference", "loss", f)));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Clone());
    });

    [Fact]
    public void The_reference_folder_holds_the_402_published_cases()
    {
        Assert.True(Cases().Count() >= 402);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_case_matches_within_its_tolerance(string caseId)
    {
        int sep = caseId.IndexOf("::", StringComparison.Ordinal);
        JsonElement c = Load(caseId[..sep])[caseId[(sep + 2)..]];
        var tol = c.GetProperty("tolerance");
        double rel = tol.GetProperty("rel").GetDouble(), abs = tol.GetProperty("abs").GetDouble();
        var inputs = c.GetProperty("inputs");
        var prm = c.GetProperty("params");
        var expected = c.GetProperty("expected");
        string function = c.GetProperty("function").GetString()!;

        void Check(string what, double[] actual, JsonElement exp)
        {
            double[] e = Flat(exp, out _);
            Assert.Equal(e.Length, actual.Length);
            for (int i = 0; i < e.Length; i++)
            {
                Assert.True(Near(actual[i], e[i], rel, abs),
                    $"{what}[{i}]: got {actual[i]:R}, expected {e[i]:R} (rel {rel}, abs {abs})");
            }
        }

        string reduction = prm.TryGetProperty("reduction", out var red) ? red.GetString()! : "";
        Reduction r = reduction == "sum" ? Reduction.Sum : Reduction.Mean;
        double[]? weight = OptionalArray(prm, "weight");

        switch (function)
        {
            case "entropy":
                Check("value", [Information.Entropy(Flat(inputs.GetProperty("p"), out _), Unit(prm))],
                    expected.GetProperty("value"));
                break;
            case "cross_entropy":
                Check("value", [Information.CrossEntropy(Flat(inputs.GetProperty("p"), out _),
                    Flat(inputs.GetProperty("q"), out _), Unit(prm))], expected.GetProperty("value"));
                break;
            case "kl_divergence":
                Check("value", [Information.KlDivergence(Flat(inputs.GetProperty("p"), out _),
                    Flat(inputs.GetProperty("q"), out _), Unit(prm))], expected.GetProperty("value"));
                break;
            case "softmax":
            case "log_softmax":
            {
                double[] x = Flat(inputs.GetProperty("logits"), out int cols);
                var d = new double[x.Length];
                if (function == "softmax")
                {
                    SoftmaxFunctions.SoftmaxRows(x, cols, d);
                }
                else
                {
                    SoftmaxFunctions.LogSoftmaxRows(x, cols, d);
                }

                Check("value", d, expected.GetProperty("value"));
                break;
            }

            case "cross_entropy_logits":
            {
                double[] x = Flat(inputs.GetProperty("logits"), out int cols);
                double ls = prm.GetProperty("label_smoothing").GetDouble();
                var g = new double[x.Length];
                if (prm.GetProperty("target_type").GetString() == "index")
                {
                    int[] t = Ints(inputs.GetProperty("target"));
                    int ignore = prm.GetProperty("ignore_index").GetInt32();
                    if (reduction == "none")
                    {
                        var l = new double[t.Length];
                        Losses.CrossEntropyPerExample(x, cols, t, l, weight, ignore, ls);
                        Check("value", l, expected.GetProperty("value"));
                    }
                    else
                    {
                        Check("value", [Losses.CrossEntropy(x, cols, t, r, weight, ignore, ls)],
                            expected.GetProperty("value"));
                        Losses.CrossEntropyGradient(x, cols, t, g, r, weight, ignore, ls);
                    }
                }
                else
                {
                    double[] t = Flat(inputs.GetProperty("target"), out _);
                    if (reduction == "none")
                    {
                        var l = new double[x.Length / cols];
                        Losses.CrossEntropySoftPerExample(x, cols, t, l, weight, ls);
                        Check("value", l, expected.GetProperty("value"));
                    }
                    else
                    {
                        Check("value", [Losses.CrossEntropySoft(x, cols, t, r, weight, ls)],
                            expected.GetProperty("value"));
                        Losses.CrossEntropySoftGradient(x, cols, t, g, r, weight, ls);
                    }
                }

                if (expected.TryGetProperty("grad_logits", out var eg))
                {
                    Check("grad_logits", g, eg);
                }

                break;
            }

            case "nll_loss":
            {
                double[] x = Flat(inputs.GetProperty("log_probs"), out int cols);
                int[] t = Ints(inputs.GetProperty("target"));
                int ignore = prm.GetProperty("ignore_index").GetInt32();
                if (reduction == "none")
                {
                    var l = new double[t.Length];
                    Losses.NllLossPerExample(x, cols, t, l, weight, ignore);
                    Check("value", l, expected.GetProperty("value"));
                }
                else
                {
                    Check("value", [Losses.NllLoss(x, cols, t, r, weight, ignore)], expected.GetProperty("value"));
                    if (expected.TryGetProperty("grad_input", out var eg))
                    {
                        var g = new double[x.Length];
                        Losses.NllLossGradient(x, cols, t, g, r, weight, ignore);
                        Check("grad_input", g, eg);
                    }
                }

                break;
            }

            case "categorical_cross_entropy_probs":
            {
                double[] q = Flat(inputs.GetProperty("probs"), out int cols);
                InformationUnit unit = Unit(prm);
                bool index = prm.GetProperty("target_type").GetString() == "index";
                if (reduction == "none")
                {
                    var l = new double[q.Length / cols];
                    if (index)
                    {
                        Losses.CategoricalCrossEntropyPerExample(q, cols, Ints(inputs.GetProperty("target")), l, unit);
                    }
                    else
                    {
                        Losses.CategoricalCrossEntropySoftPerExample(q, cols, Flat(inputs.GetProperty("target"), out _),
                            l, unit);
                    }

                    Check("value", l, expected.GetProperty("value"));
                }
                else
                {
                    double v = index
                        ? Losses.CategoricalCrossEntropy(q, cols, Ints(inputs.GetProperty("target")), r, unit)
                        : Losses.CategoricalCrossEntropySoft(q, cols, Flat(inputs.GetProperty("target"), out _), r, unit);
                    Check("value", [v], expected.GetProperty("value"));
                }

                break;
            }

            case "binary_cross_entropy":
            {
                double[] p = Flat(inputs.GetProperty("p"), out _);
                double[] y = Flat(inputs.GetProperty("y"), out _);
                if (reduction == "none")
                {
                    var l = new double[p.Length];
                    Losses.BinaryCrossEntropyPerElement(p, y, l, weight);
                    Check("value", l, expected.GetProperty("value"));
                }
                else
                {
                    Check("value", [Losses.BinaryCrossEntropy(p, y, r, weight)], expected.GetProperty("value"));
                    if (expected.TryGetProperty("grad_input", out var eg))
                    {
                        var g = new double[p.Length];
                        Losses.BinaryCrossEntropyGradient(p, y, g, r, weight);
                        Check("grad_input", g, eg);
                    }
                }

                break;
            }

            case "binary_cross_entropy_with_logits":
            {
                double[] x = Flat(inputs.GetProperty("logits"), out _);
                double[] y = Flat(inputs.GetProperty("y"), out _);
                double[]? pw = OptionalArray(prm, "pos_weight");
                if (reduction == "none")
                {
                    var l = new double[x.Length];
                    Losses.BinaryCrossEntropyWithLogitsPerElement(x, y, l, weight, pw);
                    Check("value", l, expected.GetProperty("value"));
                }
                else
                {
                    Check("value", [Losses.BinaryCrossEntropyWithLogits(x, y, r, weight, pw)],
                        expected.GetProperty("value"));
                    if (expected.TryGetProperty("grad_logits", out var eg))
                    {
                        var g = new double[x.Length];
                        Losses.BinaryCrossEntropyWithLogitsGradient(x, y, g, r, weight, pw);
                        Check("grad_logits", g, eg);
                    }
                }

                break;
            }

            default:
                Assert.Fail($"unknown function {function} in {caseId}");
                break;
        }
    }

    /// <summary>The README's rule: |a - e| &lt;= max(abs, rel |e|); non-finite must match exactly; -0.0 == 0.</summary>
    internal static bool Near(double actual, double expected, double rel, double abs)
    {
        if (double.IsNaN(expected))
        {
            return double.IsNaN(actual);
        }

        if (double.IsInfinity(expected))
        {
            return actual == expected;
        }

        return Math.Abs(actual - expected) <= Math.Max(abs, rel * Math.Abs(expected));
    }

    private static InformationUnit Unit(JsonElement prm) => prm.GetProperty("unit").GetString() switch
    {
        "nats" => InformationUnit.Nats,
        "bits" => InformationUnit.Bits,
        "hartleys" => InformationUnit.Hartleys,
        var u => throw new InvalidDataException($"unknown unit {u}"),
    };

    private static double[]? OptionalArray(JsonElement prm, string name) =>
        prm.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? Flat(v, out _) : null;

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    /// <summary>A number, "inf"/"-inf"/"nan", or a (nested) array flattened row-major; cols is the last dimension.</summary>
    internal static double[] Flat(JsonElement e, out int cols)
    {
        cols = 1;
        if (e.ValueKind != JsonValueKind.Array)
        {
            return [Number(e)];
        }

        var list = new List<double>();
        foreach (var row in e.EnumerateArray())
        {
            if (row.ValueKind == JsonValueKind.Array)
            {
                cols = row.GetArrayLength();
                list.AddRange(row.EnumerateArray().Select(Number));
            }
            else
            {
                cols = e.GetArrayLength();
                list.Add(Number(row));
            }
        }

        return [.. list];
    }

    private static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            var s => throw new InvalidDataException($"unexpected number string {s}"),
        },
        _ => throw new InvalidDataException($"unexpected {e.ValueKind}"),
    };
}
