using System.Globalization;
using System.IO.Compression;
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

    /// <summary>The examples at <paramref name="indices"/>, in that order (features and labels copied).</summary>
    /// <exception cref="ArgumentException">indices is empty or an index is outside [0, Count).</exception>
    public LabelledData Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
        {
            throw new ArgumentException("indices is empty, expected at least one example", nameof(indices));
        }

        var features = new double[indices.Count * Dimensions];
        var labels = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int i = indices[k];
            if (i < 0 || i >= Count)
            {
                throw new ArgumentException($"indices[{k}] is {i}, expected 0..{Count - 1}", nameof(indices));
            }

            Array.Copy(Features, i * Dimensions, features, k * Dimensions, Dimensions);
            labels[k] = Labels[i];
        }

        return new LabelledData(features, labels, Dimensions, Classes);
    }

    /// <summary>The features of example <paramref name="n"/> (a row), for plotting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is outside [0, Count).</exception>
    public double[] Row(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(n, Count);
        return Features.AsSpan(n * Dimensions, Dimensions).ToArray();
    }

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

    /// <summary>Rows in the digits file (the UCI test set as scikit-learn bundles it).</summary>
    public const int DigitsCount = 1797;

    /// <summary>Reads the handwritten digits (<c>data/digits/digits.csv.gz</c>): 1797 images of 8 x 8 pixel counts
    /// in 0..16 (64 features, row by row from the top left), labels the digits 0..9 (10 classes).</summary>
    /// <param name="path">The file, gzip-compressed CSV (a name ending in <c>.gz</c>) or plain CSV; no header,
    /// 65 integers a row.</param>
    /// <remarks>The shape is checked, not assumed: a file of another size, a pixel outside 0..16 or a digit outside
    /// 0..9 is refused, so a truncated or substituted file cannot train a lesson silently.</remarks>
    /// <exception cref="ArgumentException">path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">A row is not 65 integers, a value is out of range, or the file does not
    /// hold 1797 rows of all 10 digits; the message names the file, the row and the problem.</exception>
    public static LabelledData ReadDigits(string path)
    {
        var rows = ReadRows(path, "path");
        if (rows.Count != DigitsCount)
        {
            throw new FormatException($"{path} has {rows.Count} rows, expected {DigitsCount} digits (8 x 8 images)");
        }

        const int dimensions = 64;
        var features = new double[rows.Count * dimensions];
        var labels = new int[rows.Count];
        for (int n = 0; n < rows.Count; n++)
        {
            var (line, fields) = rows[n];
            if (fields.Length != dimensions + 1)
            {
                throw new FormatException($"{path}: line {line} has {fields.Length} fields, expected 65 (64 pixels and the digit)");
            }

            for (int d = 0; d <= dimensions; d++)
            {
                int v = ParseInt(fields[d], path, line, d + 1);
                int max = d == dimensions ? 9 : 16;
                if (v < 0 || v > max)
                {
                    string what = d == dimensions ? "digit" : "pixel";
                    throw new FormatException($"{path}: line {line}, field {d + 1}: {what} {v} is outside 0..{max}");
                }

                if (d == dimensions)
                {
                    labels[n] = v;
                }
                else
                {
                    features[n * dimensions + d] = v;
                }
            }
        }

        RequireEveryClass(labels, 10, path);
        return new LabelledData(features, labels, dimensions, 10);
    }

    /// <summary>Rows in the breast-cancer file.</summary>
    public const int BreastCancerCount = 569;

    /// <summary>Reads the Wisconsin diagnostic breast-cancer data (<c>data/breast-cancer/breast_cancer.csv</c>):
    /// 569 masses, 30 features each, 2 classes. The labels are returned with <b>1 = malignant</b> (the positive,
    /// rarer class: 212 of 569) and 0 = benign.</summary>
    /// <param name="path">The CSV. Its first line is <c>569,30,malignant,benign</c>; each row holds 30 numbers and
    /// the file's class (0 = malignant, 1 = benign, which this method flips).</param>
    /// <exception cref="ArgumentException">path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The header is not <c>569,30,malignant,benign</c>, a row is not 31 fields, a
    /// feature is not a finite number, a class is not 0 or 1, a class is missing, or the file does not hold 569 rows;
    /// the message names the file, the line and the problem.</exception>
    public static LabelledData ReadBreastCancer(string path)
    {
        var rows = ReadRows(path, "path");
        const int dimensions = 30;
        if (rows.Count == 0 || string.Join(",", rows[0].Fields.Select(f => f.Trim())) != "569,30,malignant,benign")
        {
            throw new FormatException($"{path}: the first line is not the header \"569,30,malignant,benign\"");
        }

        if (rows.Count - 1 != BreastCancerCount)
        {
            throw new FormatException($"{path} has {rows.Count - 1} data rows, expected {BreastCancerCount}");
        }

        var features = new double[BreastCancerCount * dimensions];
        var labels = new int[BreastCancerCount];
        for (int n = 0; n < BreastCancerCount; n++)
        {
            var (line, fields) = rows[n + 1];
            if (fields.Length != dimensions + 1)
            {
                throw new FormatException($"{path}: line {line} has {fields.Length} fields, expected 31 (30 features and the class)");
            }

            for (int d = 0; d < dimensions; d++)
            {
                if (!double.TryParse(fields[d], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ||
                    !double.IsFinite(v))
                {
                    throw new FormatException($"{path}: line {line}, field {d + 1} is \"{fields[d]}\", expected a finite number");
                }

                features[n * dimensions + d] = v;
            }

            int label = ParseInt(fields[dimensions], path, line, dimensions + 1);
            if (label is not (0 or 1))
            {
                throw new FormatException($"{path}: line {line}: class {label} is not 0 (malignant) or 1 (benign)");
            }

            labels[n] = 1 - label;   // 1 = malignant, the positive class
        }

        RequireEveryClass(labels, 2, path);
        return new LabelledData(features, labels, dimensions, 2);
    }

    private static List<(int Line, string[] Fields)> ReadRows(string path, string paramName)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ArgumentException("path is empty, expected the path of a data file", paramName);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"data file {path} not found (current directory {Environment.CurrentDirectory})", path);
        }

        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        using var reader = new StreamReader(stream);
        var rows = new List<(int, string[])>();
        int number = 0;
        try
        {
            for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                number++;
                if (line.Trim().Length > 0)
                {
                    rows.Add((number, line.Split(',')));
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"{path} is not a valid gzip file: {e.Message}", e);
        }

        return rows;
    }

    private static int ParseInt(string field, string path, int line, int column) =>
        int.TryParse(field.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new FormatException($"{path}: line {line}, field {column} is \"{field}\", expected an integer");

    private static void RequireEveryClass(int[] labels, int classes, string path)
    {
        var seen = new bool[classes];
        foreach (int y in labels)
        {
            seen[y] = true;
        }

        int missing = Array.IndexOf(seen, false);
        if (missing >= 0)
        {
            throw new FormatException($"{path} has no example of class {missing}, expected all {classes} classes");
        }
    }
}
