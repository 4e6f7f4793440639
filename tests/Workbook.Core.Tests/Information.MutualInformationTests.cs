using CsCheck;

namespace Workbook.Core.Tests;

public class MutualInformationTests
{
    private static readonly Gen<(double[] Joint, int Columns)> Joint =
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 6]).SelectMany(t =>
            Gen.Double[0.0, 1.0].Array[t.Item1 * t.Item2].Where(a => a.Sum() > 1e-3)
                .Select(a => { double s = a.Sum(); return (a.Select(v => v / s).ToArray(), t.Item2); }));

    [Fact]
    public void Chain_rule_holds_and_mutual_information_is_entropy_minus_conditional_entropy() =>
        Joint.Sample(t =>
        {
            var (joint, cols) = t;
            double hxy = Information.JointEntropy(joint, cols);
            double hx = Information.Entropy(Information.MarginalOfRows(joint, cols), tolerance: 1e-9);
            double hy = Information.Entropy(Information.MarginalOfColumns(joint, cols), tolerance: 1e-9);
            double hxGivenY = Information.ConditionalEntropy(joint, cols);
            double i = Information.MutualInformation(joint, cols);
            return Math.Abs(hxy - (hy + hxGivenY)) < 1e-12 && Math.Abs(i - (hx - hxGivenY)) < 1e-12
                && i >= 0 && hxGivenY >= 0 && hxGivenY <= hx + 1e-12;
        });

    [Fact]
    public void Independent_variables_share_no_information()
    {
        double[] px = [0.2, 0.8], py = [0.5, 0.3, 0.2];
        var joint = px.SelectMany(a => py.Select(b => a * b)).ToArray();
        Assert.Equal(0.0, Information.MutualInformation(joint, 3), 15);
        Assert.Equal(Information.Entropy(px), Information.ConditionalEntropy(joint, 3), 14);
    }

    [Fact]
    public void A_copy_shares_all_its_information()
    {
        double[] joint = [0.25, 0, 0, 0.75];   // Y = X
        Assert.Equal(0.0, Information.ConditionalEntropy(joint, 2));
        Assert.Equal(Information.Entropy([0.25, 0.75], InformationUnit.Bits),
            Information.MutualInformation(joint, 2, InformationUnit.Bits), 15);
    }

    [Fact]
    public void Textbook_joint_table_gives_its_known_values()
    {
        // Cover & Thomas, Example 2.2.1: H(X|Y) = 11/8 bits, H(Y|X) = 13/8 bits, H(X,Y) = 27/8 bits, I = 3/8 bits
        double[] joint =
        [
            1 / 8.0, 1 / 16.0, 1 / 32.0, 1 / 32.0,
            1 / 16.0, 1 / 8.0, 1 / 32.0, 1 / 32.0,
            1 / 16.0, 1 / 16.0, 1 / 16.0, 1 / 16.0,
            1 / 4.0, 0, 0, 0,
        ];
        // rows are Y, columns are X in the book; here rows are "X" of the API
        Assert.Equal(27 / 8.0, Information.JointEntropy(joint, 4, InformationUnit.Bits), 14);
        Assert.Equal(13 / 8.0, Information.ConditionalEntropy(joint, 4, InformationUnit.Bits), 14);
        Assert.Equal(3 / 8.0, Information.MutualInformation(joint, 4, InformationUnit.Bits), 14);
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.5, 0.5 }, 2, "joint", "multiple")]
    [InlineData(new[] { 0.5, 0.6 }, 2, "joint", "sums to")]
    [InlineData(new[] { 0.5, double.NaN }, 1, "joint", "NaN")]
    [InlineData(new double[0], 2, "joint", "empty")]
    [InlineData(new[] { 1.0 }, 0, "columns", "at least 1")]
    public void Invalid_tables_throw_naming_the_argument(double[] joint, int columns, string name, string problem)
    {
        foreach (var f in new Func<double>[]
                 {
                     () => Information.MutualInformation(joint, columns),
                     () => Information.ConditionalEntropy(joint, columns),
                     () => Information.JointEntropy(joint, columns),
                 })
        {
            var e = Assert.Throws<ArgumentException>(() => f());
            Assert.Equal(name, e.ParamName);
            Assert.Contains(problem, e.Message);
        }
    }
}
