using BenchmarkDotNet.Running;
using Workbook.Bench;

// dotnet run -c Release --project bench/Workbook.Bench -- --quick [filter]   one line per case, within a minute
// dotnet run -c Release --project bench/Workbook.Bench -- --filter '*'      the full BenchmarkDotNet run
if (args.Length > 0 && args[0] == "--quick")
{
    return QuickRunner.Run(args.Length > 1 ? args[1] : null);
}

BenchmarkSwitcher.FromAssembly(typeof(QuickRunner).Assembly).Run(args);
return 0;
