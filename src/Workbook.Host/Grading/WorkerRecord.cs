using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbook.Host.Grading;

/// <summary>Status words of a graded cell, as written to <c>grades.csv</c>.</summary>
public static class CellStatus
{
    /// <summary>The cell is running (only in a worker's record; a cell left running when the worker died).</summary>
    public const string Running = "running";

    /// <summary>The cell ran without error.</summary>
    public const string Passed = "passed";

    /// <summary>The cell threw or did not compile.</summary>
    public const string Failed = "failed";

    /// <summary>The cell (or the submission) ran out of time; the worker was killed.</summary>
    public const string Timeout = "timeout";

    /// <summary>The worker process died (exit, stack overflow, out of memory) while or before running the cell.</summary>
    public const string Crashed = "crashed";

    /// <summary>The submission is not a notebook, so nothing was run.</summary>
    public const string Invalid = "invalid";

    /// <summary>A row that reports integrity findings (edited tests, suspicious code) rather than points.</summary>
    public const string Flagged = "flagged";
}

/// <summary>What a grading worker ran, cell by cell. The worker rewrites the whole record (atomically) when a cell
/// starts and when it ends, so a worker that dies leaves the cells it finished, and the one it was running, on disk.</summary>
public sealed class WorkerRecord
{
    /// <summary>One entry per cell the worker started, in order.</summary>
    public List<WorkerCellRecord> Cells { get; init; } = [];

    /// <summary>True once the worker has run every cell it was given.</summary>
    public bool Finished { get; set; }

    /// <summary>Writes the record to <paramref name="path"/> (temporary file, then rename).</summary>
    public void Save(string path)
    {
        var json = new JsonObject
        {
            ["finished"] = Finished,
            ["cells"] = new JsonArray(Cells.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["status"] = c.Status,
                ["message"] = c.Message,
                ["outputs"] = c.Outputs?.DeepClone() ?? new JsonArray(),
            }).ToArray()),
        };
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, json.ToJsonString(), new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a record; an absent or unreadable file is an empty, unfinished record.</summary>
    public static WorkerRecord Read(string path)
    {
        try
        {
            if (!File.Exists(path) || JsonNode.Parse(File.ReadAllText(path)) is not JsonObject root)
            {
                return new WorkerRecord();
            }

            var cells = (root["cells"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(c => new WorkerCellRecord(
                    c["id"]?.GetValue<string>() ?? "",
                    c["status"]?.GetValue<string>() ?? CellStatus.Crashed,
                    c["message"]?.GetValue<string>() ?? "",
                    c["outputs"] as JsonArray))
                .ToList();
            return new WorkerRecord { Cells = cells, Finished = root["finished"]?.GetValue<bool>() == true };
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or FormatException)
        {
            return new WorkerRecord();
        }
    }
}

/// <summary>One cell in a <see cref="WorkerRecord"/>.</summary>
/// <param name="Id">The cell id in the prepared notebook.</param>
/// <param name="Status">A <see cref="CellStatus"/> word.</param>
/// <param name="Message">Why the cell failed (error type and first line of the message), or empty.</param>
/// <param name="Outputs">The cell's outputs as nbformat JSON, or null.</param>
public sealed record WorkerCellRecord(string Id, string Status, string Message, JsonArray? Outputs);

/// <summary>What the grader asks a worker to do, written to a file whose path the worker reads from standard input
/// (never from its arguments).</summary>
/// <param name="Notebook">The prepared notebook to run.</param>
/// <param name="Record">Where to write the <see cref="WorkerRecord"/>.</param>
/// <param name="Skip">Ids of cells not to run (cells that already hung or crashed a worker, tests already graded).</param>
/// <param name="CellTimeoutSeconds">Wall-clock limit per cell.</param>
public sealed record WorkerJob(string Notebook, string Record, IReadOnlyList<string> Skip, double CellTimeoutSeconds)
{
    /// <summary>Writes the job as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));

    /// <summary>Reads a job written by <see cref="Save"/>.</summary>
    public static WorkerJob Read(string path) =>
        JsonSerializer.Deserialize<WorkerJob>(File.ReadAllText(path))
        ?? throw new InvalidDataException($"{path} is not a grading job");
}
