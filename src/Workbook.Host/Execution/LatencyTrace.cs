using System.Diagnostics;
using System.Globalization;

namespace Workbook.Host.Execution;

/// <summary>Timestamps of the steps between a process start and a cell's outputs, written to standard error when
/// the environment variable <c>WORKBOOK_TRACE</c> is <c>1</c>: what the kernel and its worker spend their time on.</summary>
/// <remarks>Each line reads <c>[trace pid +seconds] what</c>, where seconds count from the process's start (as the
/// operating system recorded it, so the runtime's own start-up is included). A worker's lines reach the kernel's
/// standard error too, so one log shows both processes. The lines go to the process's standard error itself, never
/// to <see cref="Console.Error"/>, which .NET Interactive captures while a cell runs. When the variable is not set,
/// <see cref="Mark"/> does nothing.</remarks>
internal static class LatencyTrace
{
    /// <summary>The environment variable that turns tracing on.</summary>
    public const string EnvironmentVariable = "WORKBOOK_TRACE";

    private static readonly bool On = Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";
    private static readonly DateTime ProcessStart = StartTime();

    // The process's real standard error, not Console.Error: a running cell's console is captured as its output.
    private static readonly TextWriter Sink = On
        ? TextWriter.Synchronized(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true })
        : TextWriter.Null;

    /// <summary>True when tracing is on.</summary>
    public static bool Enabled => On;

    /// <summary>Writes <paramref name="what"/> with the time since this process started.</summary>
    public static void Mark(string what)
    {
        if (!On)
        {
            return;
        }

        double seconds = (DateTime.Now - ProcessStart).TotalSeconds;
        Sink.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[trace {Environment.ProcessId} +{seconds:0.000}] {what}"));
    }

    private static DateTime StartTime()
    {
        try
        {
            using var self = Process.GetCurrentProcess();
            return self.StartTime;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return DateTime.Now;
        }
    }
}
