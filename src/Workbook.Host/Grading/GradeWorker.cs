using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Workbook.Host.Grading;

/// <summary>The process that runs one prepared submission (the CLI's hidden <c>grade-worker</c> verb). It reads
/// the path of its <see cref="WorkerJob"/> from standard input, runs every code cell it is not told to skip in one
/// kernel, and after each cell rewrites its <see cref="WorkerRecord"/>. The grader reads only that record.</summary>
public static class GradeWorker
{
    /// <summary>Exit code when a cell ran out of time (the worker stops: the kernel is still busy with the cell).</summary>
    public const int TimeoutExitCode = 124;

    /// <summary>Runs the job named on the first line of <paramref name="input"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(TextReader input, CancellationToken cancellationToken = default)
    {
        string? jobPath = (await input.ReadLineAsync(cancellationToken))?.Trim();
        if (string.IsNullOrEmpty(jobPath) || !File.Exists(jobPath))
        {
            await Console.Error.WriteLineAsync("grade-worker: expected the path of a grading job on standard input");
            return 2;
        }

        var job = WorkerJob.Read(jobPath);
        File.Delete(jobPath);
        var document = IpynbDocument.Load(job.Notebook);
        var skip = job.Skip.ToHashSet(StringComparer.Ordinal);
        var record = new WorkerRecord();
        record.Save(job.Record);
        var limit = TimeSpan.FromSeconds(job.CellTimeoutSeconds);

        using var kernel = await WorkbookKernel.CreateAsync(cancellationToken);
        // Warm the compiler up outside any cell's time limit: the first submission of a fresh kernel pays for
        // loading and JIT-compiling Roslyn, which on a busy machine alone can take seconds.
        await kernel.SendAsync(new SubmitCode("0"), cancellationToken);
        int executionCount = 0;
        foreach (var cell in document.Cells.Where(c => c.IsCode && !skip.Contains(c.Id)))
        {
            if (string.IsNullOrWhiteSpace(cell.Source))
            {
                continue;
            }

            var entry = new WorkerCellRecord(cell.Id, CellStatus.Running, "", null);
            record.Cells.Add(entry);
            record.Save(job.Record);
            executionCount++;

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            List<CellOutput> outputs;
            try
            {
                var result = await kernel.SendAsync(new SubmitCode(cell.Source), timeout.Token).WaitAsync(timeout.Token);
                outputs = KernelEventMapper.ToOutputs(result.Events, executionCount);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                record.Cells[^1] = entry with
                {
                    Status = CellStatus.Timeout,
                    Message = $"the cell did not finish within {job.CellTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s",
                };
                record.Save(job.Record);
                // The kernel is still busy with the cell and cannot be interrupted: end the process.
                Environment.Exit(TimeoutExitCode);
                return TimeoutExitCode;
            }

            var error = outputs.OfType<ErrorOutput>().FirstOrDefault();
            cell.SetOutputs(outputs, executionCount);
            record.Cells[^1] = entry with
            {
                Status = error is null ? CellStatus.Passed : CellStatus.Failed,
                Message = error is null ? "" : Describe(error),
                Outputs = cell.OutputsJson,
            };
            record.Save(job.Record);
        }

        record.Finished = true;
        record.Save(job.Record);
        return 0;
    }

    /// <summary>The error's type and the first line of its message.</summary>
    internal static string Describe(ErrorOutput error)
    {
        string first = error.Message.Replace("\r", "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return first.Length == 0 ? error.Name : $"{error.Name}: {first}";
    }
}
