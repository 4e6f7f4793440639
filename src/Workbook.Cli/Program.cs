using System.CommandLine;
using Workbook.Cli;

var root = new RootCommand("Workbook: entropy and cross-entropy, taught with C# notebooks.")
{
    RunCommand.Create(),
    RenderCommand.Create(),
    SimulateCommand.Create(),
    KernelCommand.Create(),
    WorkerCommand.Create(),
};
foreach (var command in HomeworkCommands.Create())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
