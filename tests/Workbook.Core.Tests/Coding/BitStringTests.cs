using Workbook.Core.Coding;

namespace Workbook.Core.Tests.Coding;

public class BitStringTests
{
    [Fact]
    public void Bits_are_packed_most_significant_first_and_counted_exactly()
    {
        var bits = BitString.Parse("1011000011");
        Assert.Equal(10, bits.Length);
        Assert.Equal([0b1011_0000, 0b1100_0000], bits.Bytes.ToArray());
        Assert.Equal("1011000011", bits.ToString());
        Assert.Equal("101…", bits.ToString(3));
        Assert.Equal(1, bits[9]);
    }

    [Fact]
    public void Reader_throws_past_the_end_unless_padding()
    {
        var bits = BitString.Parse("1");
        var strict = new BitReader(bits);
        Assert.Equal(1, strict.ReadBit());
        Assert.Throws<InvalidOperationException>(() => strict.ReadBit());
        var padded = new BitReader(bits, padWithZeros: true);
        Assert.Equal(1, padded.ReadBit());
        Assert.Equal(0, padded.ReadBit());
    }

    [Fact]
    public void Parse_names_a_bad_character()
    {
        var e = Assert.Throws<ArgumentException>(() => BitString.Parse("01x"));
        Assert.Equal("bits", e.ParamName);
        Assert.Contains("bits[2]", e.Message);
    }

    [Fact]
    public void Index_out_of_range_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BitString.Parse("01")[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => BitString.Empty[0]);
    }
}
