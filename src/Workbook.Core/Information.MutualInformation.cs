namespace Workbook.Core;

public static partial class Information
{
    /// <summary>Joint entropy H(X, Y) = -sum_{x,y} p(x, y) log p(x, y) of a joint table, in <paramref name="unit"/>.</summary>
    /// <param name="joint">p(x, y), row-major: one row per value of X, <paramref name="columns"/> values of Y per row.</param>
    /// <param name="columns">Number of values of Y.</param>
    /// <param name="unit">Nats (default), bits or hartleys.</param>
    /// <param name="tolerance">Allowed |sum - 1|.</param>
    /// <remarks>0 log 0 = 0. The entropy of the table read as one distribution.</remarks>
    /// <exception cref="ArgumentException">joint is not a distribution, columns &lt; 1, or the length of joint is not a multiple of columns.</exception>
    public static double JointEntropy(ReadOnlySpan<double> joint, int columns,
        InformationUnit unit = InformationUnit.Nats, double tolerance = Validate.DefaultSumTolerance)
    {
        ValidateJoint(joint, columns, tolerance);
        return EntropyUnchecked(joint) / unit.LnBase();
    }

    /// <summary>Conditional entropy H(X | Y) = H(X, Y) - H(Y) = -sum_{x,y} p(x, y) log p(x | y): what is left
    /// to learn about X once Y is known. 0 &lt;= H(X|Y) &lt;= H(X).</summary>
    /// <param name="joint">p(x, y), row-major: rows are X, columns are Y.</param>
    /// <param name="columns">Number of values of Y.</param>
    /// <param name="unit">Nats (default), bits or hartleys.</param>
    /// <param name="tolerance">Allowed |sum - 1|.</param>
    /// <remarks>Computed term by term, -p(x, y) log(p(x, y) / p(y)), so it is never negative from rounding;
    /// cells with p(x, y) = 0 contribute 0. The chain rule H(X, Y) = H(Y) + H(X | Y) holds.</remarks>
    /// <exception cref="ArgumentException">joint is not a distribution, columns &lt; 1, or the length of joint is not a multiple of columns.</exception>
    public static double ConditionalEntropy(ReadOnlySpan<double> joint, int columns,
        InformationUnit unit = InformationUnit.Nats, double tolerance = Validate.DefaultSumTolerance)
    {
        int rows = ValidateJoint(joint, columns, tolerance);
        var py = ColumnSums(joint, rows, columns);
        double h = 0.0;
        for (int x = 0; x < rows; x++)
        {
            for (int y = 0; y < columns; y++)
            {
                double pxy = joint[x * columns + y];
                if (pxy > 0.0)
                {
                    h -= pxy * Math.Log(Math.Min(1.0, pxy / py[y]));
                }
            }
        }

        return h / unit.LnBase();
    }

    /// <summary>Mutual information I(X; Y) = sum_{x,y} p(x, y) log(p(x, y) / (p(x) p(y))) = H(X) - H(X | Y)
    /// = H(X) + H(Y) - H(X, Y): how much knowing Y tells about X (and X about Y). It is the KL divergence of the
    /// joint from the product of its marginals, so I &gt;= 0, with 0 exactly when X and Y are independent.</summary>
    /// <param name="joint">p(x, y), row-major: rows are X, columns are Y.</param>
    /// <param name="columns">Number of values of Y.</param>
    /// <param name="unit">Nats (default), bits or hartleys.</param>
    /// <param name="tolerance">Allowed |sum - 1|.</param>
    /// <remarks>Computed term by term (as a KL divergence), never negative; cells with p(x, y) = 0 contribute 0.</remarks>
    /// <exception cref="ArgumentException">joint is not a distribution, columns &lt; 1, or the length of joint is not a multiple of columns.</exception>
    public static double MutualInformation(ReadOnlySpan<double> joint, int columns,
        InformationUnit unit = InformationUnit.Nats, double tolerance = Validate.DefaultSumTolerance)
    {
        int rows = ValidateJoint(joint, columns, tolerance);
        var px = RowSums(joint, rows, columns);
        var py = ColumnSums(joint, rows, columns);
        double i = 0.0;
        for (int x = 0; x < rows; x++)
        {
            for (int y = 0; y < columns; y++)
            {
                double pxy = joint[x * columns + y];
                if (pxy > 0.0)
                {
                    i += pxy * Math.Log(pxy / (px[x] * py[y]));
                }
            }
        }

        return Math.Max(0.0, i) / unit.LnBase();
    }

    /// <summary>The marginal of X: p(x) = sum_y p(x, y), the row sums of the joint table.</summary>
    /// <exception cref="ArgumentException">joint is not a distribution, columns &lt; 1, or the length of joint is not a multiple of columns.</exception>
    public static double[] MarginalOfRows(ReadOnlySpan<double> joint, int columns,
        double tolerance = Validate.DefaultSumTolerance)
    {
        int rows = ValidateJoint(joint, columns, tolerance);
        return RowSums(joint, rows, columns);
    }

    /// <summary>The marginal of Y: p(y) = sum_x p(x, y), the column sums of the joint table.</summary>
    /// <exception cref="ArgumentException">joint is not a distribution, columns &lt; 1, or the length of joint is not a multiple of columns.</exception>
    public static double[] MarginalOfColumns(ReadOnlySpan<double> joint, int columns,
        double tolerance = Validate.DefaultSumTolerance)
    {
        int rows = ValidateJoint(joint, columns, tolerance);
        return ColumnSums(joint, rows, columns);
    }

    private static int ValidateJoint(ReadOnlySpan<double> joint, int columns, double tolerance)
    {
        if (columns < 1)
        {
            throw new ArgumentException($"columns is {columns}, expected at least 1", nameof(columns));
        }

        Validate.NotEmpty(joint.Length, nameof(joint));
        if (joint.Length % columns != 0)
        {
            throw new ArgumentException(
                $"joint has length {joint.Length}, which is not a multiple of columns = {columns}", nameof(joint));
        }

        Validate.Distribution(joint, nameof(joint), tolerance);
        return joint.Length / columns;
    }

    private static double[] RowSums(ReadOnlySpan<double> joint, int rows, int columns)
    {
        var px = new double[rows];
        for (int x = 0; x < rows; x++)
        {
            double sum = 0.0;
            foreach (double v in joint.Slice(x * columns, columns))
            {
                sum += v;
            }

            px[x] = Math.Min(1.0, sum);
        }

        return px;
    }

    private static double[] ColumnSums(ReadOnlySpan<double> joint, int rows, int columns)
    {
        var py = new double[columns];
        for (int x = 0; x < rows; x++)
        {
            for (int y = 0; y < columns; y++)
            {
                py[y] += joint[x * columns + y];
            }
        }

        for (int y = 0; y < columns; y++)
        {
            py[y] = Math.Min(1.0, py[y]);
        }

        return py;
    }
}
