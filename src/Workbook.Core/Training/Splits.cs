using Workbook.Core.Simulation;

namespace Workbook.Core.Training;

/// <summary>A data set cut into three disjoint parts: one to train on, one to tune on (early stopping, the
/// temperature of <see cref="Calibration.FitTemperature"/>), and one to report.</summary>
/// <param name="Train">The examples the model is fitted to.</param>
/// <param name="Validation">Held-out examples for choices made after training.</param>
/// <param name="Test">Held-out examples touched only to report the final numbers.</param>
public sealed record DataSplit(LabelledData Train, LabelledData Validation, LabelledData Test);

/// <summary>Seeded, stratified splits of a <see cref="LabelledData"/>.</summary>
public static class Splits
{
    /// <summary>Splits <paramref name="data"/> into train, validation and test parts, class by class: each class's
    /// examples are shuffled with <see cref="Xoshiro256StarStar"/> from <paramref name="seed"/>, the first
    /// round(n_c * testFraction) go to the test part, the next round(n_c * validationFraction) to validation, the
    /// rest to training. Each part keeps the examples in their original order.</summary>
    /// <param name="data">The examples.</param>
    /// <param name="validationFraction">Share of each class for validation, in [0, 1).</param>
    /// <param name="testFraction">Share of each class for the test part, in (0, 1).</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split on every machine.</param>
    /// <remarks>Stratifying keeps the class frequencies of every part within one example per class of the whole
    /// set's. A validation fraction of 0 gives an empty validation part only if every class rounds to 0, which is
    /// refused: ask for a fraction that leaves each part at least one example.</remarks>
    /// <exception cref="ArgumentException">A fraction out of range, fractions summing to 1 or more, or a part that
    /// would be empty.</exception>
    public static DataSplit Stratified(LabelledData data, double validationFraction, double testFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentException($"validationFraction is {validationFraction}, expected a number in [0, 1)", nameof(validationFraction));
        }

        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentException($"testFraction is {testFraction}, expected a number in (0, 1)", nameof(testFraction));
        }

        if (validationFraction + testFraction >= 1)
        {
            throw new ArgumentException(
                $"validationFraction + testFraction is {validationFraction + testFraction}, expected less than 1 to leave examples to train on",
                nameof(testFraction));
        }

        var rng = new Xoshiro256StarStar(seed);
        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        for (int c = 0; c < data.Classes; c++)
        {
            var members = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == c).ToArray();
            Shuffle(members, ref rng);
            int nTest = (int)Math.Round(members.Length * testFraction);
            int nValidation = (int)Math.Round(members.Length * validationFraction);
            nValidation = Math.Min(nValidation, Math.Max(0, members.Length - nTest));
            test.AddRange(members[..nTest]);
            validation.AddRange(members[nTest..(nTest + nValidation)]);
            train.AddRange(members[(nTest + nValidation)..]);
        }

        Require(train, "training", nameof(data));
        Require(validation, "validation", nameof(validationFraction));
        Require(test, "test", nameof(testFraction));
        train.Sort();
        validation.Sort();
        test.Sort();
        return new DataSplit(data.Subset(train), data.Subset(validation), data.Subset(test));
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates) with <paramref name="rng"/>.</summary>
    internal static void Shuffle(int[] items, ref Xoshiro256StarStar rng)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)(rng.NextUInt64() % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static void Require(List<int> part, string name, string paramName)
    {
        if (part.Count == 0)
        {
            throw new ArgumentException($"the {name} part would be empty; choose fractions that leave it at least one example", paramName);
        }
    }
}
