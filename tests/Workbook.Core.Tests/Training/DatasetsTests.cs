using Workbook.Core.Training;

namespace Workbook.Core.Tests.Training;

public class DatasetsTests
{
    private static LabelledData Regenerate() =>
        Datasets.GaussianBlobs(20241124UL, 100, [(0.0, 0.0), (2.5, 0.5), (1.0, 2.5)], 0.9);

    [Fact]
    public void The_shipped_three_blobs_csv_is_what_the_documented_seed_generates()
    {
        var shipped = Datasets.ReadCsv(RepoPaths.Data("classification", "three-blobs.csv"));
        var regenerated = Regenerate();
        Assert.Equal(regenerated.Labels, shipped.Labels);
        Assert.Equal(regenerated.Features, shipped.Features);
    }

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
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'\r', (byte)'\n', (byte)'b']);
            Assert.Equal("a\nb", Datasets.ReadText(path));
            File.WriteAllBytes(path, [(byte)'a', 0xFF]);
            Assert.Throws<FormatException>(() => Datasets.ReadText(path));
            File.WriteAllBytes(path, []);
            Assert.Throws<FormatException>(() => Datasets.ReadText(path));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<FileNotFoundException>(() => Datasets.ReadText(path));
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Datasets.ReadText("")).ParamName);
    }
}
