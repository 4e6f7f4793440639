using System.CommandLine;
using Workbook.Cli;

var root = new RootCommand("Workbook: entropy and cross-entropy, taught with C# notebooks.")
{
    RunCommand.Create(),
    KernelCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
