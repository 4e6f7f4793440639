namespace Workbook.Host.Execution;

/// <summary>One output of an executed cell, in the shape Jupyter's nbformat gives it.</summary>
public abstract record CellOutput;

/// <summary>Text the cell wrote to standard output or standard error.</summary>
/// <param name="Name"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Text">The text as written, newlines included.</param>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>A value the cell displayed (<c>display(...)</c>, a chart), keyed by MIME type.</summary>
/// <param name="Data">MIME type to content, e.g. <c>text/html</c>, <c>text/plain</c>, <c>image/png</c> (base64).</param>
/// <param name="DisplayId">The display's id when it can be updated later, else null.</param>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, string? DisplayId = null) : CellOutput;

/// <summary>The value of the cell's last expression.</summary>
public sealed record ReturnValueOutput(IReadOnlyDictionary<string, string> Data, int ExecutionCount) : CellOutput;

/// <summary>The error that stopped the cell: an exception or a compilation error.</summary>
/// <param name="Name">The exception type, or <c>CompilationError</c>.</param>
/// <param name="Message">The message (compiler diagnostics, or the exception message).</param>
/// <param name="Traceback">The stack trace or diagnostic lines.</param>
public sealed record ErrorOutput(string Name, string Message, IReadOnlyList<string> Traceback) : CellOutput;

/// <summary>A display that replaces an earlier one with the same display id (Jupyter's update_display_data). It is
/// streamed while a cell runs; a saved notebook holds the updated <see cref="DisplayOutput"/> instead.</summary>
/// <param name="Data">MIME type to content.</param>
/// <param name="DisplayId">The id of the display to replace.</param>
public sealed record DisplayUpdateOutput(IReadOnlyDictionary<string, string> Data, string DisplayId) : CellOutput;
