using System.Globalization;
using System.Text;
using System.Text.Json;
using Workbook.Core.Simulation;

namespace Workbook.Host.Simulation;

/// <summary>How <see cref="SimulationReport"/> prints an experiment.</summary>
internal enum SimulationFormat
{
    /// <summary>A header with the analytic values, then aligned columns (for a terminal).</summary>
    Table,

    /// <summary>One JSON object (see <see cref="SimulationReport"/> for the fields).</summary>
    Json,

    /// <summary>A header row and one row per checkpoint.</summary>
    Csv,
}

/// <summary>What to simulate: the sampling thought experiment with its arguments, already parsed.</summary>
/// <param name="P">The distribution the draws come from.</param>
/// <param name="Q">The model the draws are scored with.</param>
/// <param name="N">How many draws.</param>
/// <param name="Seed">The seed; the same seed gives the same output, byte for byte.</param>
/// <param name="Runs">Independent runs; more than one adds the mean, quantiles and bands.</param>
/// <param name="Checkpoints">The n to report, or null for about ten per decade, log-spaced (N is always reported).</param>
/// <param name="Epsilon">Half-width in nats of the band behind <c>fraction_in_band</c>.</param>
internal sealed record SimulationRequest(double[] P, double[] Q, long N, long Seed = 1, int Runs = 1,
    long[]? Checkpoints = null, double Epsilon = Experiment.DefaultEpsilon)
{
    /// <summary>The default <see cref="Epsilon"/>, in nats.</summary>
    public const double DefaultEpsilon = Experiment.DefaultEpsilon;
}

/// <summary>Runs the sampling experiment and writes it as a table, JSON or CSV (what <c>workbook simulate</c>
/// prints).</summary>
/// <remarks>
/// <para>All values are in nats. Numbers are printed in shortest round-trip form with the invariant culture. Non-finite
/// numbers are the JSON strings "inf", "-inf" and "nan" (as in data/reference), and the same words in table and csv.</para>
/// <para>JSON: one object with <c>entropy</c>, <c>cross_entropy</c>, <c>kl</c>, <c>var_per_draw</c>, <c>seed</c>,
/// <c>n</c>, <c>runs</c>, <c>first_impossible_draw</c> (run 0; 0 when none) and <c>checkpoints</c>, an array of
/// <c>{"n", "minus_log_p_over_n", "minus_log_q_over_n"}</c> (run 0), plus with more than one run
/// <c>mean_minus_log_p_over_n</c>, <c>mean_minus_log_q_over_n</c>, <c>q05</c>, <c>q50</c>, <c>q95</c>,
/// <c>band_low</c>, <c>band_high</c>, <c>fraction_in_band</c>, <c>fraction_typical</c>.</para>
/// </remarks>
internal static class SimulationReport
{
    /// <summary>Runs <paramref name="request"/> and returns its report in <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException">An argument is outside its domain; <see cref="ArgumentException.ParamName"/>
    /// names it (<c>p</c>, <c>q</c>, <c>n</c>, <c>runs</c>, <c>checkpoints</c>, <c>epsilon</c>).</exception>
    public static string Run(SimulationRequest request, SimulationFormat format)
    {
        ArgumentNullException.ThrowIfNull(request);
        var summary = Experiment.RunMany(request.P, request.Q, request.N, request.Seed, request.Runs,
            request.Checkpoints, request.Epsilon);
        return Write(summary, request, format);
    }

    /// <summary>Writes an experiment that has already run.</summary>
    public static string Write(ExperimentSummary summary, SimulationRequest request, SimulationFormat format)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(request);
        return format switch
        {
            SimulationFormat.Json => Json(summary, request.N, request.Seed, request.Runs),
            SimulationFormat.Csv => Csv(summary, request.Runs),
            SimulationFormat.Table => Table(summary, request.N, request.Seed, request.Runs),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a simulation format"),
        };
    }

    private static string F(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf"
        : v.ToString("R", CultureInfo.InvariantCulture);

    private static void Num(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteString(name, F(v));
        }
    }

    private static string Json(ExperimentSummary s, long n, long seed, int runs)
    {
        var t = s.Theory;
        var run0 = s.Runs[0];
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("unit", "nats");
            Num(w, "entropy", t.Entropy);
            Num(w, "cross_entropy", t.CrossEntropy);
            Num(w, "kl", t.KL);
            Num(w, "var_per_draw", t.VarPerDraw);
            Num(w, "varentropy", t.Varentropy);
            w.WriteNumber("n", n);
            w.WriteNumber("seed", seed);
            w.WriteNumber("runs", runs);
            w.WriteString("generator", "xoshiro256** seeded by SplitMix64; run r uses stream r (r jumps of 2^128)");
            w.WriteNumber("first_impossible_draw", run0.FirstImpossibleDraw);
            if (runs > 1)
            {
                Num(w, "epsilon", s.Epsilon);
                Num(w, "z", s.Z);
            }

            w.WriteStartArray("checkpoints");
            for (int j = 0; j < s.Checkpoints.Length; j++)
            {
                w.WriteStartObject();
                w.WriteNumber("n", s.Checkpoints[j]);
                Num(w, "minus_log_p_over_n", run0.MinusLogPOverN[j]);
                Num(w, "minus_log_q_over_n", run0.MinusLogQOverN[j]);
                if (runs > 1)
                {
                    Num(w, "mean_minus_log_p_over_n", s.MeanMinusLogPOverN[j]);
                    Num(w, "mean_minus_log_q_over_n", s.MeanMinusLogQOverN[j]);
                    Num(w, "q05", s.Q05[j]);
                    Num(w, "q50", s.Q50[j]);
                    Num(w, "q95", s.Q95[j]);
                    Num(w, "band_low", s.BandLow[j]);
                    Num(w, "band_high", s.BandHigh[j]);
                    Num(w, "fraction_in_band", s.FractionInBand[j]);
                    Num(w, "fraction_typical", s.FractionTypical[j]);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string[] Columns(int runs) => runs > 1
        ? ["n", "minus_log_p_over_n", "minus_log_q_over_n", "mean_minus_log_p_over_n", "mean_minus_log_q_over_n",
            "q05", "q50", "q95", "band_low", "band_high", "fraction_in_band", "fraction_typical"]
        : ["n", "minus_log_p_over_n", "minus_log_q_over_n"];

    private static IEnumerable<string[]> Rows(ExperimentSummary s, int runs)
    {
        var r0 = s.Runs[0];
        for (int j = 0; j < s.Checkpoints.Length; j++)
        {
            string[] basic = [s.Checkpoints[j].ToString(CultureInfo.InvariantCulture), F(r0.MinusLogPOverN[j]), F(r0.MinusLogQOverN[j])];
            yield return runs > 1
                ? [.. basic, F(s.MeanMinusLogPOverN[j]), F(s.MeanMinusLogQOverN[j]), F(s.Q05[j]), F(s.Q50[j]),
                    F(s.Q95[j]), F(s.BandLow[j]), F(s.BandHigh[j]), F(s.FractionInBand[j]), F(s.FractionTypical[j])]
                : basic;
        }
    }

    private static string Csv(ExperimentSummary s, int runs)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns(runs))).Append('\n');
        foreach (var row in Rows(s, runs))
        {
            sb.Append(string.Join(',', row)).Append('\n');
        }

        return sb.ToString();
    }

    private static string Table(ExperimentSummary s, long n, long seed, int runs)
    {
        var t = s.Theory;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"H(p) = {F(t.Entropy)} nats, H(p,q) = {F(t.CrossEntropy)} nats, ")
          .Append(CultureInfo.InvariantCulture, $"KL(p||q) = {F(t.KL)} nats, Var[-log q(X)] = {F(t.VarPerDraw)} nats^2\n")
          .Append(CultureInfo.InvariantCulture, $"N = {n}, seed = {seed}, runs = {runs}\n");
        if (s.Runs[0].CrossEntropyEstimateIsInfinite)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"run 0 drew a class with q = 0 at draw {s.Runs[0].FirstImpossibleDraw}: -log P_q / n is inf from there on\n");
        }

        var cols = Columns(runs);
        var rows = Rows(s, runs).ToList();
        var widths = cols.Select((c, i) => Math.Max(c.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        sb.Append(string.Join("  ", cols.Select((c, i) => c.PadLeft(widths[i])))).Append('\n');
        foreach (var row in rows)
        {
            sb.Append(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i])))).Append('\n');
        }

        return sb.ToString();
    }
}
