using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Workbook.Core.Simulation;

namespace Workbook.Cli;

/// <summary><c>simulate --p P --q Q --n N [--seed S] [--runs R] [--checkpoints LIST] [--epsilon E]
/// [--format table|json|csv]</c>: runs the sampling thought experiment and prints the estimates per checkpoint.</summary>
/// <remarks>
/// <para>All values are in nats. Numbers are printed in shortest round-trip form with the invariant culture, so the
/// same arguments and seed give byte-identical output. Non-finite numbers are the JSON strings "inf", "-inf" and
/// "nan" (as in data/reference), and the same words in table and csv output.</para>
/// <para>JSON: one object with <c>entropy</c>, <c>cross_entropy</c>, <c>kl</c>, <c>var_per_draw</c>, <c>seed</c>,
/// <c>n</c>, <c>runs</c>, <c>first_impossible_draw</c> (run 0; 0 when none) and <c>checkpoints</c>, an array of
/// <c>{"n", "minus_log_p_over_n", "minus_log_q_over_n"}</c> (run 0), plus with --runs &gt; 1
/// <c>mean_minus_log_p_over_n</c>, <c>mean_minus_log_q_over_n</c>, <c>q05</c>, <c>q50</c>, <c>q95</c>,
/// <c>band_low</c>, <c>band_high</c>, <c>fraction_in_band</c>, <c>fraction_typical</c>.</para>
/// <para>Bad arguments print <c>error: --flag: problem</c> on stderr and exit with code 2.</para>
/// </remarks>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var p = new Option<string>("--p") { Description = "Distribution to draw from, comma-separated (e.g. 0.5,0.25,0.25)." };
        var q = new Option<string?>("--q") { Description = "Model to score with, comma-separated (default: p)." };
        var n = new Option<string>("--n") { Description = "Number of draws N, 1 to 9223372036854775807; accepts 1e9." };
        var seed = new Option<string?>("--seed") { Description = "64-bit seed (default 1). Same seed, same output." };
        var runs = new Option<string?>("--runs") { Description = "Independent runs R (default 1); R > 1 adds bands." };
        var checkpoints = new Option<string?>("--checkpoints")
        {
            Description = "Comma-separated n to report (default: ~10 per decade, log-spaced). N is always reported.",
        };
        var epsilon = new Option<string?>("--epsilon") { Description = "Half-width in nats of the band for fraction_in_band (default 0.05)." };
        var format = new Option<string?>("--format") { Description = "table (default), json or csv." };
        var command = new Command("simulate",
            "Draw N samples from p and watch -1/n log P_p settle on H(p) and -1/n log P_q on H(p,q).")
        {
            p, q, n, seed, runs, checkpoints, epsilon, format,
        };
        command.SetAction((parse, cancel) => Task.FromResult(Execute(
            parse.GetValue(p), parse.GetValue(q), parse.GetValue(n), parse.GetValue(seed), parse.GetValue(runs),
            parse.GetValue(checkpoints), parse.GetValue(epsilon), parse.GetValue(format), Console.Out, Console.Error)));
        return command;
    }

    internal static int Execute(string? pText, string? qText, string? nText, string? seedText, string? runsText,
        string? checkpointsText, string? epsilonText, string? formatText, TextWriter stdout, TextWriter stderr)
    {
        double[] p, q;
        long n, seed;
        int runs;
        long[]? cps;
        double epsilon;
        string format;
        try
        {
            p = ParseVector(pText, "--p");
            q = qText is null ? p : ParseVector(qText, "--q");
            n = ParseCount(nText, "--n");
            seed = seedText is null ? 1 : ParseSeed(seedText);
            runs = runsText is null ? 1 : (int)Math.Min(ParseCount(runsText, "--runs"), int.MaxValue);
            cps = checkpointsText is null ? null : ParseList(checkpointsText);
            epsilon = epsilonText is null ? Experiment.DefaultEpsilon : ParseDouble(epsilonText, "--epsilon");
            format = (formatText ?? "table").ToLowerInvariant();
            if (format is not ("table" or "json" or "csv"))
            {
                throw new UsageException("--format", $"'{formatText}' is not one of table, json, csv");
            }

            var summary = Experiment.RunMany(p, q, n, seed, runs, cps, epsilon);
            stdout.Write(format switch
            {
                "json" => Json(summary, n, seed, runs),
                "csv" => Csv(summary, runs),
                _ => Table(summary, n, seed, runs),
            });
            return 0;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Flag}: {e.Message}");
            return 2;
        }
        catch (ArgumentException e)
        {
            string flag = e.ParamName is { } name ? "--" + name : "arguments";
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "");
            stderr.WriteLine($"error: {flag}: {message}");
            return 2;
        }
    }

    private sealed class UsageException(string flag, string message) : Exception(message)
    {
        public string Flag { get; } = flag;
    }

    private static double[] ParseVector(string? text, string flag)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException(flag, "is required, e.g. 0.5,0.25,0.25");
        }

        return text.Split(',').Select(s => ParseDouble(s, flag)).ToArray();
    }

    private static double ParseDouble(string s, string flag) =>
        double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new UsageException(flag, $"'{s}' is not a number");

    /// <summary>A count >= 1 written as an integer or as 1e9 (must be a whole number within long).</summary>
    private static long ParseCount(string? text, string flag)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException(flag, "is required, e.g. 1e9");
        }

        string t = text.Trim();
        if (long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
        {
            return v >= 1 ? v : throw new UsageException(flag, $"is {v}, expected a count >= 1");
        }

        if (decimal.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d))
        {
            if (d != decimal.Truncate(d))
            {
                throw new UsageException(flag, $"'{t}' is not a whole number");
            }

            if (d < 1)
            {
                throw new UsageException(flag, $"is {t}, expected a count >= 1");
            }

            if (d <= long.MaxValue)
            {
                return (long)d;
            }
        }
        else if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException(flag, $"'{t}' is not a number");
        }

        throw new UsageException(flag, $"'{t}' is beyond the largest count, {long.MaxValue}");
    }

    private static long ParseSeed(string text) =>
        long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long s) ? s
        : ulong.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong u) ? unchecked((long)u)
        : throw new UsageException("--seed", $"'{text}' is not a 64-bit integer");

    private static long[] ParseList(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new UsageException("--checkpoints", "is empty; omit it for log-spaced checkpoints");
        }

        return parts.Select(s => ParseCount(s, "--checkpoints")).ToArray();
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
