using System.Globalization;
using Workbook.Core.Simulation;

namespace Workbook.Core.Training;

/// <summary>A labelled data set: one row of features per example and a class index per example.</summary>
/// <param name="Features">Row-major features, <c>Count * Dimensions</c> values.</param>
/// <param name="Labels">Class index of each example, in [0, Classes).</param>
/// <param name="Dimensions">Features per example.</param>
/// <param name="Classes">Number of classes.</param>
public sealed record LabelledData(double[] Features, int[] Labels, int Dimensions, int Classes)
{
    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>The empirical distribution of the labels: the fraction of examples in each class.</summary>
    public double[] LabelDistribution()
    {
        var counts = new double[Classes];
        foreach (int y in Labels)
        {
            counts[y]++;
        }

        return counts.Select(c => c / Count).ToArray();
    }

    /// <summary>Feature <paramref name="d"/> of every example (a column), for plotting.</summary>
    public double[] Column(int d) => Enumerable.Range(0, Count).Select(i => Features[i * Dimensions + d]).ToArray();

    /// <summary>Splits off the first <paramref name="trainCount"/> examples for training; the rest are held out.</summary>
    /// <exception cref="ArgumentException">trainCount is not in [1, Count - 1].</exception>
    public (LabelledData Train, LabelledData Test) Split(int trainCount)
    {
        if (trainCount < 1 || trainCount >= Count)
        {
            throw new ArgumentException($"trainCount is {trainCount}, expected 1..{Count - 1}", nameof(trainCount));
        }

        return (new LabelledData(Features[..(trainCount * Dimensions)], Labels[..trainCount], Dimensions, Classes),
                new LabelledData(Features[(trainCount * Dimensions)..], Labels[trainCount..], Dimensions, Classes));
    }
}

/// <summary>Small data sets for the lessons, generated from a seed so they are the same on every machine.</summary>
public static class Datasets
{
    /// <summary>Gaussian blobs in the plane: <paramref name="perClass"/> points around each center with standard
    /// deviation <paramref name="spread"/>, shuffled, drawn with <see cref="Xoshiro256StarStar"/> from
    /// <paramref name="seed"/> (Box–Muller normals).</summary>
    /// <exception cref="ArgumentException">No centers, perClass &lt; 1, or spread not finite and &gt; 0.</exception>
    public static LabelledData GaussianBlobs(ulong seed, int perClass, (double X, double Y)[] centers, double spread)
    {
        if (centers is null || centers.Length == 0)
        {
            throw new ArgumentException("centers is empty, expected at least one class center", nameof(centers));
        }

        if (perClass < 1)
        {
            throw new ArgumentException($"perClass is {perClass}, expected at least 1", nameof(perClass));
        }

        if (!(spread > 0) || double.IsInfinity(spread))
        {
            throw new ArgumentException($"spread is {spread}, expected a finite number > 0", nameof(spread));
        }

        var rng = new Xoshiro256StarStar(seed);
        int n = perClass * centers.Length;
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        var features = new double[2 * n];
        var labels = new int[n];
        for (int k = 0; k < n; k++)
        {
            int label = order[k] % centers.Length;
            double u1 = rng.NextDoubleOpen(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2 * Math.Log(u1));
            features[2 * k] = centers[label].X + spread * r * Math.Cos(2 * Math.PI * u2);
            features[2 * k + 1] = centers[label].Y + spread * r * Math.Sin(2 * Math.PI * u2);
            labels[k] = label;
        }

        return new LabelledData(features, labels, 2, centers.Length);
    }

    /// <summary>Reads a CSV with a header and columns <c>x1,...,xD,label</c>.</summary>
    /// <exception cref="FormatException">A row has the wrong number of fields or a field is not a number.</exception>
    public static LabelledData ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0 && !l.StartsWith('#')).ToList();
        if (lines.Count < 2)
        {
            throw new FormatException($"{path} has no data rows");
        }

        int columns = lines[0].Split(',').Length;
        var features = new List<double>();
        var labels = new List<int>();
        for (int i = 1; i < lines.Count; i++)
        {
            var fields = lines[i].Split(',');
            if (fields.Length != columns)
            {
                throw new FormatException($"{path}: row {i} has {fields.Length} fields, expected {columns}");
            }

            for (int d = 0; d < columns - 1; d++)
            {
                features.Add(double.Parse(fields[d], CultureInfo.InvariantCulture));
            }

            labels.Add(int.Parse(fields[^1], CultureInfo.InvariantCulture));
        }

        return new LabelledData(features.ToArray(), labels.ToArray(), columns - 1, labels.Max() + 1);
    }

    /// <summary>Reads a plain-text corpus (such as <c>data/text/moby-dick.txt</c>) as UTF-8, with line endings
    /// normalised to <c>\n</c> and a byte-order mark dropped, so the text (and every count taken from it) is the
    /// same whatever the checkout did to line endings.</summary>
    /// <exception cref="ArgumentException">path is empty.</exception>
    /// <exception cref="FileNotFoundException">No file at path.</exception>
    /// <exception cref="FormatException">The file is empty or not valid UTF-8.</exception>
    public static string ReadText(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("path is empty, expected the path of a text file", nameof(path));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no text file at {path}", path);
        }

        string text;
        try
        {
            text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
                .GetString(File.ReadAllBytes(path));
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new FormatException($"{path} is not valid UTF-8: {e.Message}", e);
        }

        text = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.Length == 0)
        {
            throw new FormatException($"{path} is empty");
        }

        return text;
    }

    /// <summary>Writes <paramref name="data"/> as CSV (header <c>x1,...,xD,label</c>, round-trip numbers).</summary>
    public static string ToCsv(LabelledData data, string? comment = null)
    {
        var sb = new System.Text.StringBuilder();
        if (comment is not null)
        {
            foreach (string line in comment.Split('\n'))
            {
                sb.Append("# ").Append(line).Append('\n');
            }
        }

        sb.Append(string.Join(",", Enumerable.Range(1, data.Dimensions).Select(d => "x" + d))).Append(",label\n");
        for (int i = 0; i < data.Count; i++)
        {
            for (int d = 0; d < data.Dimensions; d++)
            {
                sb.Append(data.Features[i * data.Dimensions + d].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            sb.Append(data.Labels[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }
}
