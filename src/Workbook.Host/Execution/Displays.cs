namespace Workbook.Host.Execution;

/// <summary>The notebook's <c>display(value)</c>: shows a value and returns a handle whose <c>Update</c> replaces
/// that same output (Jupyter's <c>update_display_data</c>).</summary>
/// <remarks>In Microsoft.DotNet.Interactive 1.0.0-beta.26120.1 the stock <c>display</c> helper announces one
/// display id and returns a handle carrying another, so <c>Update</c> never reaches the output it should replace.
/// Every workbook kernel runs <see cref="Prelude"/> as its first submission: it defines <c>display</c> as a script
/// member, which hides the stock helper imported with <c>using static</c>, and announces the handle's own id.
/// The prelude names only Microsoft.DotNet.Interactive types, so notebooks do not see the host.</remarks>
internal static class Displays
{
    /// <summary>The C# submission that defines <c>display(...)</c> for every later cell.</summary>
    public const string Prelude = """
        Microsoft.DotNet.Interactive.Formatting.DisplayedValue display(object value, params string[] mimeTypes)
        {
            var formatted = Microsoft.DotNet.Interactive.Formatting.FormattedValue.CreateManyFromObject(value, mimeTypes ?? []);
            var shown = new Microsoft.DotNet.Interactive.Formatting.DisplayedValue(value, formatted);
            if (Microsoft.DotNet.Interactive.KernelInvocationContext.Current is { } context)
            {
                context.Publish(new Microsoft.DotNet.Interactive.Events.DisplayedValueProduced(
                    value, context.Command, formatted, shown.DisplayId));
            }
            else
            {
                Microsoft.DotNet.Interactive.Formatting.Formatter.WriteToConsole(shown);
            }

            return shown;
        }
        """;
}
