using System.CommandLine;
using Workbook.Cli;

var root = new RootCommand("Workbook: entropy and cross-entropy, taught with C# notebooks.")
{
    RunCommand.Create(),
    RenderCommand.Create(),
    SimulateCommand.Create(),
    KernelCommand.Create(),
    WorkerCommand.Create(),
    AutogradeCommand.Create(),
};
foreach (var command in HomeworkCommands.Create())
{
    root.Subcommands.Add(command);
}

var parse = root.Parse(args);
if (UsageErrors.Report(parse, Console.Error))
{
    return UsageErrors.ExitCode;
}

return await parse.InvokeAsync();
