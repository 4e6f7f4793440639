using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using Workbook.Core.Coding;
using Workbook.Core.Training;

namespace Workbook.Bench;

/// <summary>Compression speed on data/text/moby-dick.txt (1.19 million characters, 1.21 MB of UTF-8): the
/// arithmetic coder with an adaptive order-0 model, a static order-0 model and a trained order-2 character model,
/// next to GZip and Brotli (System.IO.Compression) on the same bytes. Throughput is in MB of UTF-8 input per
/// second, for encoding and for decoding.</summary>
[MemoryDiagnoser]
public class CodingBench : IQuickBench
{
    private readonly byte[] _utf8;
    private readonly int[] _symbols;
    private readonly int _k;
    private readonly double[] _order0;
    private readonly NGramModel _order2;
    private readonly BitString _adaptiveCode;
    private readonly BitString _staticCode;
    private readonly BitString _order2Code;
    private readonly byte[] _gzip;
    private readonly byte[] _brotli;

    public CodingBench()
    {
        string text = Datasets.ReadText(TextPath());
        _utf8 = Encoding.UTF8.GetBytes(text);
        var alphabet = TextAlphabet.Of(text);
        _k = alphabet.Count;
        _symbols = alphabet.ToSymbols(text);
        var counts = new double[_k];
        foreach (int s in _symbols)
        {
            counts[s]++;
        }

        _order0 = counts.Select(c => c / _symbols.Length).ToArray();
        _order2 = NGramModel.Train(_symbols, _k, 2, 0.03);
        _adaptiveCode = ArithmeticCoding.EncodeAdaptive(_symbols, _k);
        _staticCode = ArithmeticCoding.Encode(_symbols, _order0);
        _order2Code = ArithmeticCoding.Encode(_symbols, _order2);
        _gzip = GZipCompress();
        _brotli = BrotliCompress();
    }

    [Benchmark]
    public long ArithmeticAdaptiveEncode() => ArithmeticCoding.EncodeAdaptive(_symbols, _k).Length;

    [Benchmark]
    public int ArithmeticAdaptiveDecode() => ArithmeticCoding.DecodeAdaptive(_adaptiveCode, _symbols.Length, _k)[^1];

    [Benchmark]
    public long ArithmeticStaticEncode() => ArithmeticCoding.Encode(_symbols, _order0).Length;

    [Benchmark]
    public int ArithmeticStaticDecode() => ArithmeticCoding.Decode(_staticCode, _symbols.Length, _order0)[^1];

    [Benchmark]
    public long ArithmeticOrder2Encode() => ArithmeticCoding.Encode(_symbols, _order2).Length;

    [Benchmark]
    public int ArithmeticOrder2Decode() => ArithmeticCoding.Decode(_order2Code, _symbols.Length, _order2)[^1];

    [Benchmark]
    public int GZipEncode() => GZipCompress().Length;

    [Benchmark]
    public int GZipDecode() => Decompress(new GZipStream(new MemoryStream(_gzip), CompressionMode.Decompress));

    [Benchmark]
    public int BrotliEncode() => BrotliCompress().Length;

    [Benchmark]
    public int BrotliDecode() => Decompress(new BrotliStream(new MemoryStream(_brotli), CompressionMode.Decompress));

    public IEnumerable<QuickCase> QuickCases() =>
    [
        new("Coding arithmetic adaptive order-0 encode", _utf8.Length, "MB/s", () => ArithmeticAdaptiveEncode()),
        new("Coding arithmetic adaptive order-0 decode", _utf8.Length, "MB/s", () => ArithmeticAdaptiveDecode()),
        new("Coding arithmetic static order-0 encode", _utf8.Length, "MB/s", () => ArithmeticStaticEncode()),
        new("Coding arithmetic static order-0 decode", _utf8.Length, "MB/s", () => ArithmeticStaticDecode()),
        new("Coding arithmetic order-2 model encode", _utf8.Length, "MB/s", () => ArithmeticOrder2Encode()),
        new("Coding arithmetic order-2 model decode", _utf8.Length, "MB/s", () => ArithmeticOrder2Decode()),
        new("Coding GZip SmallestSize encode", _utf8.Length, "MB/s", () => GZipEncode()),
        new("Coding GZip decode", _utf8.Length, "MB/s", () => GZipDecode()),
        new("Coding Brotli SmallestSize encode", _utf8.Length, "MB/s", () => BrotliEncode()),
        new("Coding Brotli decode", _utf8.Length, "MB/s", () => BrotliDecode()),
    ];

    private byte[] GZipCompress()
    {
        using var output = new MemoryStream();
        using (var z = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            z.Write(_utf8);
        }

        return output.ToArray();
    }

    private byte[] BrotliCompress()
    {
        using var output = new MemoryStream();
        using (var z = new BrotliStream(output, CompressionLevel.SmallestSize))
        {
            z.Write(_utf8);
        }

        return output.ToArray();
    }

    private static int Decompress(Stream z)
    {
        using (z)
        {
            var buffer = new byte[1 << 16];
            int total = 0, read;
            while ((read = z.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
            }

            return total;
        }
    }

    private static string TextPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "text", "moby-dick.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("data/text/moby-dick.txt not found above " + AppContext.BaseDirectory);
    }
}
