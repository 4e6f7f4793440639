namespace Workbook.Core.Simulation;

/// <summary>Small numeric helpers for the simulation.</summary>
internal static class SimMath
{
    /// <summary>ln(1 + x), accurate for tiny x (.NET's double.LogP1 computes Math.Log(1 + x), which is not).</summary>
    /// <remarks>Uses u = 1 + x; ln(u) * x / (u - 1), which corrects the rounding of 1 + x (Goldberg 1991, Thm 4).</remarks>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        if (double.IsInfinity(u))
        {
            return Math.Log(x);
        }

        return Math.Log(u) * x / (u - 1.0);
    }
}
