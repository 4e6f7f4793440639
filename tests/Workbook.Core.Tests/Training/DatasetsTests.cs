using System.IO.Compression;
using Workbook.Core.Training;

namespace Workbook.Core.Tests.Training;

public sealed class DatasetsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LabelledData Regenerate() =>
        Datasets.GaussianBlobs(20241124UL, 100, [(0.0, 0.0), (2.5, 0.5), (1.0, 2.5)], 0.9);

    [Fact]
    public void Blobs_are_balanced_and_reproducible()
    {
        var a = Regenerate();
        Assert.Equal(300, a.Count);
        Assert.All(a.LabelDistribution(), f => Assert.Equal(1.0 / 3, f, 12));
        Assert.Equal(a.Features, Regenerate().Features);
        Assert.NotEqual(a.Features, Datasets.GaussianBlobs(1UL, 100, [(0.0, 0.0), (2.5, 0.5), (1.0, 2.5)], 0.9).Features);
    }

    [Fact]
    public void Bad_spread_is_rejected_naming_the_argument()
    {
        var e = Assert.Throws<ArgumentException>(() => Datasets.GaussianBlobs(1, 10, [(0.0, 0.0)], -1));
        Assert.Equal("spread", e.ParamName);
    }

    [Fact]
    public void The_shipped_novel_reads_as_the_documented_text()
    {
        string text = Datasets.ReadText(RepoPaths.Data("text", "moby-dick.txt"));
        Assert.Equal(1_190_317, text.Length);
        Assert.Equal(83, text.Distinct().Count());
        Assert.StartsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael.", text);
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public void ReadText_normalises_line_endings_and_drops_a_byte_order_mark()
    {
        string path = Path.Combine(_dir, "text.txt");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'\r', (byte)'\n', (byte)'b']);
        Assert.Equal("a\nb", Datasets.ReadText(path));
        File.WriteAllBytes(path, [(byte)'a', 0xFF]);
        Assert.Throws<FormatException>(() => Datasets.ReadText(path));
        File.WriteAllBytes(path, []);
        Assert.Throws<FormatException>(() => Datasets.ReadText(path));
        File.Delete(path);

        Assert.Throws<FileNotFoundException>(() => Datasets.ReadText(path));
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Datasets.ReadText("")).ParamName);
    }

    private static string DigitsPath => RepoPaths.Data("digits", "digits.csv.gz");

    private static string CancerPath => RepoPaths.Data("breast-cancer", "breast_cancer.csv");

    [Fact]
    public void The_shipped_digits_are_1797_images_of_64_pixels_in_10_classes()
    {
        var digits = Datasets.ReadDigits(DigitsPath);
        Assert.Equal((1797, 64, 10), (digits.Count, digits.Dimensions, digits.Classes));
        Assert.All(digits.Features, v => Assert.InRange(v, 0, 16));
        Assert.Equal(178, digits.Labels.Count(y => y == 0));   // the UCI test set's count of zeros
        Assert.Equal([0, 0, 5, 13, 9, 1, 0, 0], digits.Row(0)[..8]);
        Assert.Equal(0, digits.Labels[0]);
    }

    [Fact]
    public void The_shipped_breast_cancer_data_is_569_by_30_with_212_malignant_labelled_1()
    {
        var data = Datasets.ReadBreastCancer(CancerPath);
        Assert.Equal((569, 30, 2), (data.Count, data.Dimensions, data.Classes));
        Assert.Equal(212, data.Labels.Count(y => y == 1));
        Assert.Equal(17.99, data.Features[0]);
        Assert.Equal(1, data.Labels[0]);   // the file's first row is class 0, malignant
    }

    [Fact]
    public void A_truncated_digits_file_is_refused_with_its_row_count()
    {
        string path = TempFile("digits.csv.gz", File.ReadAllBytes(DigitsPath), keepLines: 100);
        var e = Assert.Throws<FormatException>(() => Datasets.ReadDigits(path));
        Assert.Contains("has 100 rows, expected 1797", e.Message);
    }

    [Fact]
    public void A_pixel_outside_0_to_16_is_refused_naming_the_line_and_field()
    {
        var lines = GunzipLines(File.ReadAllBytes(DigitsPath));
        lines[4] = "17" + lines[4][lines[4].IndexOf(',')..];
        string path = Path.Combine(_dir, "digits.csv");
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<FormatException>(() => Datasets.ReadDigits(path));
        Assert.Contains("line 5, field 1: pixel 17 is outside 0..16", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_gzip_is_refused_as_a_format_error()
    {
        string path = Path.Combine(_dir, "digits.csv.gz");
        File.WriteAllText(path, "not compressed at all");
        var e = Assert.Throws<FormatException>(() => Datasets.ReadDigits(path));
        Assert.Contains("not a valid gzip file", e.Message);
    }

    [Fact]
    public void A_missing_data_file_is_reported_with_its_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Datasets.ReadDigits("no/such/digits.csv.gz"));
        Assert.Contains("no/such/digits.csv.gz", e.Message);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Datasets.ReadBreastCancer("")).ParamName);
    }

    [Fact]
    public void Breast_cancer_rows_with_a_bad_header_class_or_number_are_refused()
    {
        var lines = File.ReadAllLines(CancerPath);
        Assert.Contains("header", Refused(["570,30,malignant,benign", .. lines[1..]]));
        var badClass = (string[])lines.Clone();
        badClass[3] = badClass[3][..badClass[3].LastIndexOf(',')] + ",2";
        Assert.Contains("line 4: class 2 is not 0 (malignant) or 1 (benign)", Refused(badClass));
        var badNumber = (string[])lines.Clone();
        badNumber[2] = "abc" + badNumber[2][badNumber[2].IndexOf(',')..];
        Assert.Contains("line 3, field 1 is \"abc\", expected a finite number", Refused(badNumber));
        Assert.Contains("has 568 data rows, expected 569", Refused(lines[..^1]));

        string Refused(string[] content)
        {
            string path = Path.Combine(_dir, "breast_cancer.csv");
            File.WriteAllLines(path, content);
            return Assert.Throws<FormatException>(() => Datasets.ReadBreastCancer(path)).Message;
        }
    }

    [Fact]
    public void Subset_copies_the_rows_in_the_order_given_and_rejects_an_index_out_of_range()
    {
        var data = Regenerate();
        var sub = data.Subset([5, 2]);
        Assert.Equal(data.Row(5).Concat(data.Row(2)), sub.Features);
        Assert.Equal([data.Labels[5], data.Labels[2]], sub.Labels);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => data.Subset([0, 300])).ParamName);
    }

    private static string[] GunzipLines(byte[] gz)
    {
        using var reader = new StreamReader(new GZipStream(new MemoryStream(gz), CompressionMode.Decompress));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private string TempFile(string name, byte[] gz, int keepLines)
    {
        string path = Path.Combine(_dir, name);
        using var output = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var writer = new StreamWriter(output);
        foreach (string line in GunzipLines(gz).Take(keepLines))
        {
            writer.Write(line + "\n");
        }

        return path;
    }
}
