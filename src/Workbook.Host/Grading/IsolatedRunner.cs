using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Workbook.Host.Grading;

/// <summary>How submissions are graded.</summary>
public sealed record GradingOptions
{
    /// <summary>Wall-clock limit per cell (default 30 s). A cell over it is recorded as <c>timeout</c> and its
    /// worker process ends.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wall-clock limit for all the worker processes of one submission (default 10 minutes); when it is
    /// reached the worker is killed and every cell not yet graded is <c>timeout</c>.</summary>
    public TimeSpan SubmissionTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>GC heap limit of a worker in bytes (default 1 GiB), passed as <c>DOTNET_GCHeapHardLimit</c>.</summary>
    public long MemoryLimitBytes { get; init; } = 1L << 30;

    /// <summary>How many submissions are graded at once (default: the number of cores).</summary>
    public int MaxParallel { get; init; } = Environment.ProcessorCount;
}

/// <summary>The command that starts a worker process: a program and the arguments before nothing else (the job
/// is passed on standard input), e.g. <c>dotnet workbook.dll grade-worker</c>.</summary>
/// <param name="FileName">The program.</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record WorkerLauncher(string FileName, IReadOnlyList<string> Arguments);

/// <summary>The final status of one code cell of a prepared notebook after isolated execution.</summary>
/// <param name="Status">A <see cref="CellStatus"/> word.</param>
/// <param name="Message">Why it did not pass, or empty.</param>
/// <param name="Outputs">Its outputs as nbformat JSON, or null when it produced none that were recorded.</param>
public sealed record IsolatedCellResult(string Status, string Message, System.Text.Json.Nodes.JsonArray? Outputs);

/// <summary>Runs a prepared notebook in worker processes, one at a time, with the time and memory limits of
/// <see cref="GradingOptions"/>. When a worker dies (timeout, exit, stack overflow), the cell it was running is
/// recorded as such and a fresh worker runs the notebook again without that cell and without the test cells already
/// graded, so one broken part does not zero the others.</summary>
public static class IsolatedRunner
{
    /// <summary>Runs <paramref name="notebook"/> with <paramref name="workingDirectory"/> as the current directory;
    /// returns the final result of every code cell that has one, keyed by cell id. Cells missing from the result
    /// were never reached.</summary>
    public static async Task<IsolatedRun> RunAsync(IpynbDocument notebook, string workingDirectory,
        GradingOptions options, WorkerLauncher launcher, CancellationToken cancellationToken = default)
    {
        var results = new Dictionary<string, IsolatedCellResult>(StringComparer.Ordinal);
        var graded = notebook.Cells.Where(c => GradingCell.Of(c)?.IsTest == true).Select(c => c.Id).ToHashSet();
        var skip = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        string privateDir = Directory.CreateTempSubdirectory("workbook-grader-").FullName;
        string? stopReason = null;
        try
        {
            for (int round = 0; round <= notebook.Cells.Count; round++)
            {
                var left = options.SubmissionTimeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    stopReason = CellStatus.Timeout;
                    break;
                }

                // A random nonce names the job, the notebook copy and the record, so a submission cannot guess them.
                string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                string notebookPath = Path.Combine(privateDir, $"notebook-{nonce}.ipynb");
                string recordPath = Path.Combine(privateDir, $"record-{nonce}.json");
                string jobPath = Path.Combine(privateDir, $"job-{nonce}.json");
                notebook.Save(notebookPath);
                new WorkerJob(notebookPath, recordPath, skip.Order(StringComparer.Ordinal).ToList(),
                    options.CellTimeout.TotalSeconds).Save(jobPath);

                var (exitCode, killed) = await RunWorkerAsync(launcher, jobPath, workingDirectory, options, left, cancellationToken);
                var record = WorkerRecord.Read(recordPath);
                File.Delete(notebookPath);

                int progressed = 0;
                foreach (var cell in record.Cells)
                {
                    if (cell.Status == CellStatus.Running)
                    {
                        string status = killed ? CellStatus.Timeout : CellStatus.Crashed;
                        string message = killed
                            ? "the submission reached its time limit while this cell ran"
                            : $"the grading process died while running this cell (exit code {exitCode.ToString(CultureInfo.InvariantCulture)})";
                        results[cell.Id] = new IsolatedCellResult(status, message, null);
                        skip.Add(cell.Id);
                        progressed++;
                        continue;
                    }

                    results[cell.Id] = new IsolatedCellResult(cell.Status, cell.Message, cell.Outputs);
                    progressed++;
                    if (cell.Status == CellStatus.Timeout || graded.Contains(cell.Id))
                    {
                        skip.Add(cell.Id);
                    }
                }

                if (record.Finished)
                {
                    stopReason = null;
                    break;
                }

                stopReason = killed ? CellStatus.Timeout : CellStatus.Crashed;
                if (killed || progressed == 0 || graded.All(skip.Contains))
                {
                    break;
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(privateDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a killed worker may still hold a file for a moment.
            }
        }

        return new IsolatedRun(results, stopReason);
    }

    private static async Task<(int ExitCode, bool Killed)> RunWorkerAsync(WorkerLauncher launcher, string jobPath,
        string workingDirectory, GradingOptions options, TimeSpan limit, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(launcher.FileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in launcher.Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + options.MemoryLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the grading worker");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.StandardInput.WriteLineAsync(jobPath);
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return (process.ExitCode, true);
        }
    }
}

/// <summary>The outcome of <see cref="IsolatedRunner.RunAsync"/>.</summary>
/// <param name="Cells">Final result per cell id, for the cells that were reached.</param>
/// <param name="StopReason">Null when the last worker finished; otherwise <c>timeout</c> or <c>crashed</c>, the
/// status of every graded cell that was never reached.</param>
public sealed record IsolatedRun(IReadOnlyDictionary<string, IsolatedCellResult> Cells, string? StopReason);
