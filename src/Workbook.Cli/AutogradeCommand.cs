using System.CommandLine;
using System.Globalization;
using Workbook.Host.Execution;
using Workbook.Host.Grading;
using Workbook.Host.Grading.Gradescope;
using Workbook.Host.Notebooks;

namespace Workbook.Cli;

/// <summary>The hidden <c>autograde</c> verb that Gradescope's <c>run_autograder</c> calls for each submission (see
/// <see cref="AutograderRun"/>). Student code runs in the sandbox where the container allows it, else as a separate
/// unprivileged user (root only), else unconfined; the instructors' notes say which.</summary>
internal static class AutogradeCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "The instructor's source notebook.", Required = true };
        var submission = new Option<string>("--submission") { Description = "The submission folder.", Required = true };
        var results = new Option<string>("--results") { Description = "Where results.json goes.", Required = true };
        var timeout = new Option<double?>("--submission-timeout")
        {
            Description = "Seconds the submission's cells may take together (default 540, inside Gradescope's 10 minutes).",
        };
        var memory = new Option<double?>("--memory-limit") { Description = "MiB of GC heap for the worker (default 384)." };
        var command = new Command("autograde", "Internal: grade one Gradescope submission and write its results.json.")
        {
            source, submission, results, timeout, memory,
        };
        command.Hidden = true;
        command.SetAction(async (parse, cancel) =>
        {
            var assignment = AssignmentSource.Load(parse.GetValue(source)!);
            var options = new GradingOptions
            {
                CellTimeout = TimeSpan.FromSeconds(120),
                SubmissionTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout) is double t and > 0 ? t : 540),
                MemoryLimitBytes = (long)((parse.GetValue(memory) is double m and > 0 ? m : 384) * (1 << 20)),
                MaxParallel = 1,
            };
            var limits = SandboxLimits.ForHeap(options.MemoryLimitBytes) with
            {
                CpuSeconds = (int)Math.Ceiling(options.SubmissionTimeout.TotalSeconds * 2),
            };
            var (mode, note, launcher) = Isolation(limits);
            Console.WriteLine($"autograde: student code runs {mode} ({note})");
            var written = await AutograderRun.RunAsync(assignment, parse.GetValue(submission)!, parse.GetValue(results)!,
                options, mode, note, launcher, cancel);
            Console.WriteLine("autograde: score " + written["score"]!.ToJsonString());
            return 0;
        });
        return command;
    }

    private static (IsolationMode Mode, string Note, WorkerLauncher Launcher) Isolation(SandboxLimits limits)
    {
        string why;
        try
        {
            return (IsolationMode.Sandbox, "bubblewrap", Sandbox.Probe(limits));
        }
        catch (Exception e) when (e is SandboxUnavailableException or WorkerStartException)
        {
            why = "no sandbox: " + e.Message;
        }

        try
        {
            return (IsolationMode.SeparateUser, why, Sandbox.ProbeSeparateUser(limits));
        }
        catch (Exception e) when (e is SandboxUnavailableException or WorkerStartException)
        {
            return (IsolationMode.Unconfined, why + "; no separate user: " + e.Message, WorkerLauncher.Default);
        }
    }
}
