namespace Workbook.Core;

public static partial class Information
{
    /// <summary>Self-information (surprisal) of an outcome of probability <paramref name="probability"/>:
    /// I = -log p, in <paramref name="unit"/> (nats by default). Entropy is its expectation, H(p) = E[-log p(X)].</summary>
    /// <param name="probability">A probability in [0, 1].</param>
    /// <param name="unit">Nats (ln), bits (log2) or hartleys (log10).</param>
    /// <remarks>p = 1 gives 0 (no surprise); p = 0 gives +inf (an impossible outcome). Subnormal p gives a large
    /// finite value (about 744 nats at the smallest subnormal).</remarks>
    /// <exception cref="ArgumentException">The probability is NaN or outside [0, 1].</exception>
    public static double SelfInformation(double probability, InformationUnit unit = InformationUnit.Nats)
    {
        double lnBase = unit.LnBase();
        CheckProbability(probability, nameof(probability));
        return SurprisalNats(probability) / lnBase;
    }

    /// <summary>Self-information in an arbitrary logarithm base: -log_b p.</summary>
    /// <remarks>p = 1 gives 0, p = 0 gives +inf.</remarks>
    /// <exception cref="ArgumentException">The probability is not in [0, 1], or the base is not finite, positive
    /// and ≠ 1.</exception>
    public static double SelfInformation(double probability, double logBase)
    {
        double lnBase = InformationUnits.LnOfBase(logBase, nameof(logBase));
        CheckProbability(probability, nameof(probability));
        return SurprisalNats(probability) / lnBase;
    }

    /// <summary>Element-wise self-information: destination[i] = -log p_i in <paramref name="unit"/>.</summary>
    /// <param name="probabilities">Probabilities in [0, 1]; they need not sum to 1.</param>
    /// <param name="destination">Receives one value per probability; same length.</param>
    /// <param name="unit">Nats (ln), bits (log2) or hartleys (log10).</param>
    /// <remarks>0 maps to +inf and 1 to 0.</remarks>
    /// <exception cref="ArgumentException">An entry is not in [0, 1], or the lengths differ.</exception>
    public static void SelfInformation(ReadOnlySpan<double> probabilities, Span<double> destination,
        InformationUnit unit = InformationUnit.Nats)
    {
        double lnBase = unit.LnBase();
        Validate.UnitInterval(probabilities, nameof(probabilities));
        Validate.SameLength(probabilities.Length, destination.Length, nameof(destination), nameof(probabilities));
        for (int i = 0; i < probabilities.Length; i++)
        {
            destination[i] = SurprisalNats(probabilities[i]) / lnBase;
        }
    }

    /// <summary>Element-wise self-information of an array; see
    /// <see cref="SelfInformation(ReadOnlySpan{double}, Span{double}, InformationUnit)"/>.</summary>
    /// <exception cref="ArgumentException">An entry is not in [0, 1].</exception>
    public static double[] SelfInformation(double[] probabilities, InformationUnit unit = InformationUnit.Nats)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var result = new double[probabilities.Length];
        SelfInformation(probabilities, result, unit);
        return result;
    }

    private static double SurprisalNats(double p) => p == 1.0 ? 0.0 : -Math.Log(p);

    private static void CheckProbability(double p, string paramName)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentException($"{paramName} is {Validate.Format(p)}, expected a probability in [0, 1]",
                paramName);
        }
    }
}
