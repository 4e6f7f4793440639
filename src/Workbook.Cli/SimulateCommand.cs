using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Workbook.Host.Simulation;

namespace Workbook.Cli;

/// <summary><c>simulate --p P --q Q --n N [--seed S] [--runs R] [--checkpoints LIST] [--epsilon E]
/// [--format table|json|csv]</c>: runs the sampling thought experiment and prints the estimates per checkpoint
/// (<see cref="SimulationReport"/> does the work and the writing).</summary>
/// <remarks>Every option is typed and parsed here, before the command runs: a bad value prints
/// <c>error: --flag: problem</c> on stderr and exits with code 2 (see <see cref="UsageErrors"/>). A value of the right
/// type that the experiment refuses (p not summing to 1, a checkpoint beyond N) gets the same form.</remarks>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var p = new Option<double[]>("--p")
        {
            Description = "Distribution to draw from, comma-separated (e.g. 0.5,0.25,0.25).",
            Required = true,
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r => ParseVector(r, "--p"),
        };
        var q = new Option<double[]?>("--q")
        {
            Description = "Model to score with, comma-separated (default: p).",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r => ParseVector(r, "--q"),
        };
        var n = new Option<long>("--n")
        {
            Description = "Number of draws N, 1 to 9223372036854775807; accepts 1e9.",
            Required = true,
            CustomParser = r => ParseCount(r, Single(r), "--n"),
        };
        var seed = new Option<long>("--seed")
        {
            Description = "64-bit seed (default 1). Same seed, same output.",
            DefaultValueFactory = _ => 1,
            CustomParser = ParseSeed,
        };
        var runs = new Option<int>("--runs")
        {
            Description = "Independent runs R (default 1); R > 1 adds bands.",
            DefaultValueFactory = _ => 1,
            CustomParser = r => (int)Math.Min(ParseCount(r, Single(r), "--runs"), int.MaxValue),
        };
        var checkpoints = new Option<long[]?>("--checkpoints")
        {
            Description = "Comma-separated n to report (default: ~10 per decade, log-spaced). N is always reported.",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = ParseCheckpoints,
        };
        var epsilon = new Option<double>("--epsilon")
        {
            Description = "Half-width in nats of the band for fraction_in_band (default 0.05).",
            DefaultValueFactory = _ => SimulationRequest.DefaultEpsilon,
            CustomParser = r => ParseDouble(r, Single(r), "--epsilon"),
        };
        var format = new Option<SimulationFormat>("--format")
        {
            Description = "table (default), json or csv.",
            DefaultValueFactory = _ => SimulationFormat.Table,
            CustomParser = ParseFormat,
        };
        var command = new Command("simulate",
            "Draw N samples from p and watch -1/n log P_p settle on H(p) and -1/n log P_q on H(p,q).")
        {
            p, q, n, seed, runs, checkpoints, epsilon, format,
        };
        command.SetAction((parse, cancel) =>
        {
            // An array option left out reads as an empty array: only a given option counts.
            double[] pv = parse.GetValue(p)!;
            double[] qv = parse.GetResult(q) is null ? pv : parse.GetValue(q)!;
            long[]? cps = parse.GetResult(checkpoints) is null ? null : parse.GetValue(checkpoints);
            var request = new SimulationRequest(pv, qv, parse.GetValue(n), parse.GetValue(seed),
                parse.GetValue(runs), cps, parse.GetValue(epsilon));
            return Task.FromResult(Execute(request, parse.GetValue(format), Console.Out, Console.Error));
        });
        return command;
    }

    /// <summary>Runs a parsed request; an argument the experiment refuses is a usage error naming its flag.</summary>
    internal static int Execute(SimulationRequest request, SimulationFormat format, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            stdout.Write(SimulationReport.Run(request, format));
            return 0;
        }
        catch (ArgumentException e)
        {
            string flag = e.ParamName is { } name ? "--" + name : "arguments";
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "");
            stderr.WriteLine($"error: {flag}: {message}");
            return UsageErrors.ExitCode;
        }
    }

    private static string Single(ArgumentResult r) => r.Tokens.Count == 1 ? r.Tokens[0].Value : "";

    private static double[]? ParseVector(ArgumentResult r, string flag)
    {
        if (r.Tokens.Count == 0)
        {
            return null; // an optional vector left out (--q defaults to p)
        }

        string text = Single(r);
        if (string.IsNullOrWhiteSpace(text))
        {
            r.AddError($"{flag}: is required, e.g. 0.5,0.25,0.25");
            return null;
        }

        var values = new List<double>();
        foreach (string s in text.Split(','))
        {
            if (!TryParseDouble(s, out double v))
            {
                r.AddError($"{flag}: '{s}' is not a number");
                return null;
            }

            values.Add(v);
        }

        return values.ToArray();
    }

    private static bool TryParseDouble(string s, out double v) =>
        double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v);

    private static double ParseDouble(ArgumentResult r, string s, string flag)
    {
        if (TryParseDouble(s, out double v))
        {
            return v;
        }

        r.AddError($"{flag}: '{s}' is not a number");
        return 0;
    }

    /// <summary>A count >= 1 written as an integer or as 1e9 (a whole number within long).</summary>
    private static long ParseCount(ArgumentResult r, string text, string flag)
    {
        string? problem = CountProblem(text.Trim(), out long value);
        if (problem is not null)
        {
            r.AddError($"{flag}: {problem}");
        }

        return value;
    }

    private static string? CountProblem(string t, out long value)
    {
        value = 0;
        if (t.Length == 0)
        {
            return "is empty, expected a count such as 1e9";
        }

        if (long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
        {
            value = v;
            return v >= 1 ? null : $"is {v}, expected a count >= 1";
        }

        if (decimal.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d))
        {
            if (d != decimal.Truncate(d))
            {
                return $"'{t}' is not a whole number";
            }

            if (d < 1)
            {
                return $"is {t}, expected a count >= 1";
            }

            if (d <= long.MaxValue)
            {
                value = (long)d;
                return null;
            }
        }
        else if (!TryParseDouble(t, out _))
        {
            return $"'{t}' is not a number";
        }

        return $"'{t}' is beyond the largest count, {long.MaxValue}";
    }

    private static long ParseSeed(ArgumentResult r)
    {
        string text = Single(r).Trim();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long s))
        {
            return s;
        }

        if (ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong u))
        {
            return unchecked((long)u);
        }

        r.AddError($"--seed: '{text}' is not a 64-bit integer");
        return 0;
    }

    private static long[]? ParseCheckpoints(ArgumentResult r)
    {
        if (r.Tokens.Count == 0)
        {
            return null; // left out: log-spaced checkpoints
        }

        var parts = Single(r).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            r.AddError("--checkpoints: is empty; omit it for log-spaced checkpoints");
            return null;
        }

        var list = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (CountProblem(parts[i], out list[i]) is { } problem)
            {
                r.AddError($"--checkpoints: {problem}");
                return null;
            }
        }

        return list;
    }

    private static SimulationFormat ParseFormat(ArgumentResult r)
    {
        string text = Single(r);
        switch (text.Trim().ToLowerInvariant())
        {
            case "table": return SimulationFormat.Table;
            case "json": return SimulationFormat.Json;
            case "csv": return SimulationFormat.Csv;
            default:
                r.AddError($"--format: '{text}' is not one of table, json, csv");
                return SimulationFormat.Table;
        }
    }
}
