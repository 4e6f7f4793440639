using System.CommandLine;
using System.Runtime.InteropServices;
using Workbook.Host.Execution;
using Workbook.Jupyter;

namespace Workbook.Cli;

/// <summary><c>kernel install|uninstall|list|start</c>: the workbook's host as a Jupyter kernel for editors.</summary>
internal static class KernelCommand
{
    public static Command Create()
    {
        var command = new Command("kernel",
            "The workbook as a Jupyter kernel (\"C# (Workbook)\") for VS Code's Jupyter extension, JupyterLab and nbclient.")
        {
            Install(), Uninstall(), List(), Start(),
        };
        return command;
    }

    private static Option<string> NameOption() => new("--name")
    {
        Description = $"Kernelspec name (default: {KernelSpecs.DefaultName}).",
        DefaultValueFactory = _ => KernelSpecs.DefaultName,
    };

    private static Option<bool> UserOption() => new("--user")
    {
        Description = "Use the per-user Jupyter folder (the default).",
    };

    private static Option<string?> PrefixOption() => new("--prefix")
    {
        Description = "Use PREFIX/share/jupyter/kernels instead of the per-user folder.",
    };

    private static Command Install()
    {
        var name = NameOption();
        var user = UserOption();
        var prefix = PrefixOption();
        var command = new Command("install", "Write a kernelspec that starts this build of the workbook as a kernel.")
        {
            name, user, prefix,
        };
        command.SetAction(parse =>
        {
            if (KernelsDirectory(parse.GetValue(user), parse.GetValue(prefix)) is not { } kernels)
            {
                return 2;
            }

            try
            {
                string dir = KernelSpecs.Install(kernels, parse.GetValue(name)!, StartCommandLine());
                Console.WriteLine($"Installed kernelspec {parse.GetValue(name)} (\"{KernelSpecs.DisplayName}\") in {dir}");
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        });
        return command;
    }

    private static Command Uninstall()
    {
        var name = NameOption();
        var user = UserOption();
        var prefix = PrefixOption();
        var command = new Command("uninstall", "Remove the kernelspec.") { name, user, prefix };
        command.SetAction(parse =>
        {
            if (KernelsDirectory(parse.GetValue(user), parse.GetValue(prefix)) is not { } kernels)
            {
                return 2;
            }

            try
            {
                string n = parse.GetValue(name)!;
                if (!KernelSpecs.Uninstall(kernels, n))
                {
                    Console.Error.WriteLine($"error: no kernelspec '{n}' in {kernels}");
                    return 1;
                }

                Console.WriteLine($"Removed kernelspec {n} from {kernels}");
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the kernelspecs Jupyter clients find (JUPYTER_PATH, user, system).");
        command.SetAction(_ =>
        {
            var specs = KernelSpecs.List();
            if (specs.Count == 0)
            {
                Console.WriteLine("No kernelspecs found in: " + string.Join(", ", KernelSpecs.SearchPath()));
                return 0;
            }

            int width = specs.Max(s => s.Name.Length);
            foreach (var spec in specs)
            {
                Console.WriteLine($"{spec.Name.PadRight(width)}  {spec.DisplayName}  {spec.Directory}");
            }

            return 0;
        });
        return command;
    }

    private static Command Start()
    {
        var file = new Option<string>("--connection-file")
        {
            Description = "The connection file the Jupyter client wrote (ports, key).",
            Required = true,
        };
        var command = new Command("start", "Run the kernel (Jupyter clients call this through the kernelspec).") { file };
        command.SetAction(async parse =>
        {
            Workbook.Host.Execution.LatencyTrace.Mark("kernel: main");
            ConnectionInfo connection;
            try
            {
                connection = ConnectionInfo.Load(parse.GetValue(file)!);
            }
            catch (Exception e) when (e is IOException or FormatException or System.Text.Json.JsonException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine("error: cannot read the connection file: " + e.Message);
                return 2;
            }

            // The code runs in a worker process (`workbook worker`), so code that ignores an interrupt can be stopped.
            var server = new KernelServer(connection,
                async ct => await WorkerExecutor.StartAsync(new WorkerOptions
                {
                    OnStderrLine = Console.Error.WriteLine,
                    ChartImagesInBackground = true,
                }, ct),
                log: Console.Error);
            // Jupyter clients interrupt with interrupt_request (interrupt_mode "message"); a stray SIGINT (Ctrl+C
            // in the terminal that started the editor) must not kill the kernel.
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => ctx.Cancel = true);
            try
            {
                await server.RunAsync();
            }
            catch (WorkerStartException e)
            {
                Console.Error.WriteLine("error: the kernel could not start: " + e.Message);
                return 1;
            }
            finally
            {
                server.Dispose();
                NetMQ.NetMQConfig.Cleanup(block: false);
            }

            return 0;
        });
        return command;
    }

    private static string? KernelsDirectory(bool user, string? prefix)
    {
        if (user && prefix is not null)
        {
            Console.Error.WriteLine("error: give --user or --prefix, not both");
            return null;
        }

        return prefix is not null ? KernelSpecs.PrefixKernelsDirectory(prefix) : KernelSpecs.UserKernelsDirectory;
    }

    /// <summary>The command that starts this build as a kernel: the dotnet host, workbook.dll, and the verb.</summary>
    private static string[] StartCommandLine()
    {
        string dll = typeof(KernelCommand).Assembly.Location;
        // The absolute dotnet host, so editors started without dotnet on PATH still start the kernel.
        return [WorkerLauncher.DotnetHost(), dll, "kernel", "start", "--connection-file", "{connection_file}"];
    }
}
