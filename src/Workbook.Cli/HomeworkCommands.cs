using System.CommandLine;
using System.Globalization;
using Workbook.Host.Notebooks;
using Workbook.Host;
using Workbook.Host.Execution;
using Workbook.Host.Grading;

namespace Workbook.Cli;

/// <summary>The homework verbs: <c>assign</c>, <c>grade</c>, <c>check</c>. Each runs notebooks in worker processes
/// (the hidden <c>worker</c> verb); a worker that cannot start is the tool's failure: exit code 3 with the worker's
/// standard error, and no grades.</summary>
internal static class HomeworkCommands
{
    public static IEnumerable<Command> Create() => [Assign(), Grade(), Check()];

    private static Command Assign()
    {
        var sources = new Argument<string[]>("sources")
        {
            Description = "Instructor notebooks (solutions and hidden tests included).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "Folder for the student versions.", Required = true };
        var timeout = CellTimeoutOption();
        var gradescope = new Option<bool>("--gradescope")
        {
            Description = "Also write OUT/gradescope/NAME-autograder.zip, Gradescope's autograder for the assignment " +
                          "(the grader, its .NET runtime, the source with its hidden tests, setup.sh and run_autograder).",
        };
        var noSandbox = NoSandboxOption();
        var command = new Command("assign", "Write the student version of assignment sources, after checking that each source's solution passes its tests " +
                                            "and that its tests reject its declared wrong answers and accept its declared right ones (graded as grade does).")
        {
            sources, output, timeout, gradescope, noSandbox,
        };
        command.SetAction(async (parse, cancel) =>
        {
            if (!TryTimeout(parse.GetValue(timeout), out var cellTimeout))
            {
                return 2;
            }

            var options = new GradingOptions { CellTimeout = cellTimeout ?? TimeSpan.FromSeconds(30) };
            if (!TryLauncher(parse.GetValue(noSandbox), options, out var launcher))
            {
                return 3;
            }

            int exit = 0;
            foreach (string source in parse.GetValue(sources) ?? [])
            {
                try
                {
                    var assigned = await Assigner.AssignAsync(source, parse.GetValue(output)!, options, launcher, cancel);
                    Console.WriteLine($"{Path.GetFileName(source)}: {assigned.Summary}");
                    Console.WriteLine($"assigned {Path.GetFileName(source)} -> {assigned.Path}");
                    if (parse.GetValue(gradescope))
                    {
                        string zip = Workbook.Host.Grading.Gradescope.AutograderPackage.Write(AssignmentSource.Load(source),
                            Path.Combine(parse.GetValue(output)!, "gradescope"));
                        Console.WriteLine($"autograder {Path.GetFileName(zip)} -> {zip} ({new FileInfo(zip).Length / (1 << 20)} MiB)");
                    }
                }
                catch (Exception e) when (e is NotebookFormatException or AssignmentSourceException or ArgumentException)
                {
                    Console.Error.WriteLine($"error: refusing {Path.GetFileName(source)}: {e.Message}");
                    exit = 1;
                }
                catch (WorkerStartException e)
                {
                    return InfrastructureFailure(e);
                }
            }

            return exit;
        });
        return command;
    }

    private static Command Grade()
    {
        var assignment = new Option<string>("--assignment")
        {
            Description = "The instructor's source notebook the submissions are graded against.",
            Required = true,
        };
        var submissions = new Argument<string[]>("submissions")
        {
            Description = "Submitted notebooks, or folders holding one; the file or folder name is the student id.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "Folder for grades.csv and feedback/.", Required = true };
        var timeout = CellTimeoutOption();
        var submissionTimeout = new Option<double?>("--submission-timeout")
        {
            Description = "Seconds all of one submission's cells may take together (default 600).",
        };
        var parallel = new Option<int?>("--parallel")
        {
            Description = "Submissions graded at once (default: number of cores).",
        };
        var memory = new Option<double?>("--memory-limit")
        {
            Description = "MiB of GC heap a submission's worker process may use (default 1024).",
        };
        var manualScores = new Option<string?>("--manual")
        {
            Description = "CSV of scores for the answers graded by hand (header student,grade_id,points[,comment]); " +
                          "without it they are listed as 'needs review' with 0 points.",
        };
        var noCanary = new Option<bool>("--no-canary")
        {
            Description = "Run test cells as written, without their canary form (a submission can then keep a test from running).",
        };
        var noSandbox = NoSandboxOption();
        var command = new Command("grade", "Grade submissions in sandboxed processes; write grades.csv, totals.csv, Gradescope results and a feedback notebook per student.")
        {
            assignment, submissions, output, timeout, submissionTimeout, parallel, memory, manualScores, noCanary, noSandbox,
        };
        command.SetAction(async (parse, cancel) =>
        {
            if (!TryTimeout(parse.GetValue(timeout), out var cellTimeout) ||
                !TryTimeout(parse.GetValue(submissionTimeout), out var perSubmission, "--submission-timeout"))
            {
                return 2;
            }

            if (parse.GetValue(memory) is { } mib && !(mib >= 1 && mib <= 1 << 30))
            {
                Console.Error.WriteLine($"error: --memory-limit is {mib.ToString(CultureInfo.InvariantCulture)}, expected a number of MiB from 1 to {1 << 30}");
                return 2;
            }

            AssignmentSource source;
            try
            {
                source = AssignmentSource.Load(parse.GetValue(assignment)!);
            }
            catch (Exception e) when (e is NotebookFormatException or AssignmentSourceException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }

            // A path that names nothing is the instructor's mistake; anything that exists, even a dangling link or a
            // pipe, is a submission and gets its own row.
            var missing = (parse.GetValue(submissions) ?? []).Where(s => !Grader.SubmissionExists(s)).ToList();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine($"error: submission '{missing[0]}' does not exist");
                return 2;
            }

            var manual = ManualGrading.None;
            if (parse.GetValue(manualScores) is { } scoresPath)
            {
                try
                {
                    manual = ManualGrading.Load(scoresPath, source, parse.GetValue(submissions)!.Select(Grader.StudentId).ToList());
                }
                catch (ManualScoresException e)
                {
                    Console.Error.WriteLine("error: --manual " + e.Message);
                    return 2;
                }
            }

            if (parse.GetValue(noCanary))
            {
                Console.Error.WriteLine("warning: test cells run without their canary (--no-canary): code that keeps a test " +
                                        "from running or failing is not detected.");
            }

            var options = new GradingOptions
            {
                Canary = !parse.GetValue(noCanary),
                CellTimeout = cellTimeout ?? TimeSpan.FromSeconds(30),
                SubmissionTimeout = perSubmission ?? TimeSpan.FromMinutes(10),
                MaxParallel = parse.GetValue(parallel) is int p and > 0 ? p : Environment.ProcessorCount,
                MemoryLimitBytes = parse.GetValue(memory) is { } limit ? (long)(limit * (1 << 20)) : 1L << 30,
            };
            if (!TryLauncher(parse.GetValue(noSandbox), options, out var launcher))
            {
                return 3;
            }

            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            IReadOnlyList<SubmissionGrade> grades;
            try
            {
                grades = await Grader.GradeAsync(source, parse.GetValue(submissions)!, outDir, options, launcher,
                    new Progress<SubmissionGrade>(g => Console.Error.WriteLine($"graded {g.Student}")), cancel, manual);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            catch (WorkerStartException e)
            {
                return InfrastructureFailure(e);
            }

            PrintSummary(grades);
            Console.WriteLine($"wrote {Path.Combine(outDir, "grades.csv")} and {grades.Count} feedback notebook(s) in {Path.Combine(outDir, "feedback")}");
            return 0;
        });
        return command;
    }

    private static Command Check()
    {
        var notebook = new Argument<string>("notebook") { Description = "Your assignment notebook." };
        var timeout = CellTimeoutOption();
        var noSandbox = NoSandboxOption();
        var command = new Command("check", "Run your assignment notebook with its visible tests (in the grading sandbox) and show which pass.")
        {
            notebook, timeout, noSandbox,
        };
        command.SetAction(async (parse, cancel) =>
        {
            if (!TryTimeout(parse.GetValue(timeout), out var cellTimeout))
            {
                return 2;
            }

            string path = parse.GetValue(notebook)!;
            var options = new GradingOptions { CellTimeout = cellTimeout ?? TimeSpan.FromSeconds(30) };
            if (!TryLauncher(parse.GetValue(noSandbox), options, out var launcher))
            {
                return 3;
            }

            IReadOnlyList<GradeRow> rows;
            try
            {
                rows = await Checker.CheckAsync(path, options, launcher, cancel);
            }
            catch (NotebookFormatException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            catch (WorkerStartException e)
            {
                return InfrastructureFailure(e);
            }

            foreach (var r in rows)
            {
                string mark = r.Status == CellStatus.Passed ? "PASS" : "FAIL";
                string detail = r.Status == CellStatus.Passed ? "" : $"  ({r.Status.ToWord()}) {r.Message}";
                Console.WriteLine($"{mark}  {r.GradeId}{detail}");
            }

            int passed = rows.Count(r => r.Status == CellStatus.Passed);
            Console.WriteLine($"{passed}/{rows.Count} visible test cell(s) pass. Hidden tests are run only when the work is graded.");
            return passed == rows.Count ? 0 : 1;
        });
        return command;
    }

    private static void PrintSummary(IReadOnlyList<SubmissionGrade> grades)
    {
        int width = Math.Max("student".Length, grades.Count == 0 ? 0 : grades.Max(g => g.Student.Length));
        Console.WriteLine($"{"student".PadRight(width)}  {"points",8}  {"max",5}  notes");
        foreach (var g in grades)
        {
            var notPassed = g.Rows.Where(r => r.GradeId != Grader.FlagsRow && r.Status is not (CellStatus.Passed or ManualGrading.Reviewed))
                .GroupBy(r => r.Status).Select(x => $"{x.Count()} {x.Key.ToWord()}");
            string notes = string.Join(", ", notPassed.Concat(g.Flags.Count > 0 ? [$"{g.Flags.Count} flag(s)"] : []));
            Console.WriteLine($"{g.Student.PadRight(width)}  {Grader.Number(g.Points),8}  {Grader.Number(g.MaxPoints),5}  {notes}");
        }
    }

    /// <summary>A worker that could not start: the tool failed, so nothing is graded (never zeros).</summary>
    private static int InfrastructureFailure(WorkerStartException e)
    {
        Console.Error.WriteLine("error: the grading tool failed, nothing was graded: " + e.Message);
        return 3;
    }

    /// <summary>The sandboxed launcher (<see cref="Sandbox.Probe"/>), or with <c>--no-sandbox</c> the plain one and a
    /// warning of what that gives up. A sandbox that cannot be set up is the tool's failure (exit code 3).</summary>
    private static bool TryLauncher(bool noSandbox, GradingOptions options, out WorkerLauncher launcher)
    {
        if (noSandbox)
        {
            Console.Error.WriteLine("warning: student code runs without the sandbox (--no-sandbox): " + SandboxLauncher.WhatNoSandboxGivesUp);
            launcher = WorkerLauncher.Default;
            return true;
        }

        try
        {
            var limits = SandboxLimits.ForHeap(options.MemoryLimitBytes) with
            {
                CpuSeconds = (int)Math.Ceiling(Math.Min(options.SubmissionTimeout.TotalSeconds * 2, int.MaxValue / 2.0)),
            };
            launcher = Sandbox.Probe(limits);
            return true;
        }
        catch (Exception e) when (e is SandboxUnavailableException or WorkerStartException)
        {
            Console.Error.WriteLine("error: the grading tool failed, nothing was graded: " + e.Message);
            launcher = WorkerLauncher.Default;
            return false;
        }
    }

    private static Option<bool> NoSandboxOption() => new("--no-sandbox")
    {
        Description = "Run student code without the bubblewrap sandbox (it can then read your files, use the network and leave processes behind).",
    };

    private static Option<double?> CellTimeoutOption() => new("--cell-timeout")
    {
        Description = "Seconds a cell may run (default 30).",
    };

    private static bool TryTimeout(double? seconds, out TimeSpan? timeout, string name = "--cell-timeout")
    {
        timeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null;
        if (seconds is <= 0 or double.NaN)
        {
            Console.Error.WriteLine($"error: {name} is {seconds?.ToString(CultureInfo.InvariantCulture)}, expected a number of seconds > 0");
            return false;
        }

        return true;
    }
}
