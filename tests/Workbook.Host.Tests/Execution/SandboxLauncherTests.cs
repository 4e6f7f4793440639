using Workbook.Host.Execution;

namespace Workbook.Host.Tests.Execution;

/// <summary>The bubblewrap sandbox of grading workers: its command line, the probe, and real sandboxes.</summary>
public sealed class SandboxLauncherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-sandbox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly SandboxLauncher Example = new("/usr/bin/bwrap", "/opt/app/bin", "/usr/share/dotnet/dotnet",
        new SandboxLimits { Processes = 99, DataBytes = 5000, CpuSeconds = 7, FileBytes = 3000, TempBytes = 2000 }, null, null);

    [Fact]
    public void The_command_line_unshares_every_namespace_and_binds_only_the_runtime_the_app_and_the_submission()
    {
        var argv = Example.CommandLine(new WorkerLaunch("/tmp/work-1", new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x40000000" }),
            Example.WorkerCommand);
        string line = string.Join(' ', argv);

        Assert.Equal("/usr/bin/bwrap", argv[0]);
        foreach (string flag in (string[])["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--as-pid-1", "--clearenv"])
        {
            Assert.Contains(flag, argv);
        }

        Assert.Contains("--ro-bind /opt/app/bin /app", line);
        Assert.Contains("--bind /tmp/work-1 /submission", line);
        Assert.Contains("--size 2000 --tmpfs /tmp", line);
        Assert.Contains("--proc /proc --dev /dev --chdir /submission", line);
        Assert.Contains("--setenv HOME /tmp", line);
        Assert.Contains("--setenv DOTNET_GCHeapHardLimit 0x40000000", line);
        Assert.EndsWith("/usr/bin/prlimit --nproc=99 --data=5000 --cpu=7 --fsize=3000 --core=0 -- /bin/sh -c \"$@\"; exit $? sh /usr/share/dotnet/dotnet /app/workbook.dll worker", line);
        // Writable: the submission only. Read-only: the runtime's folders and the app, nothing of the grader's home.
        Assert.Single(argv, a => a == "--bind");
        var readOnly = argv.Select((a, i) => (a, i)).Where(t => t.a.StartsWith("--ro-bind", StringComparison.Ordinal))
            .Select(t => argv[t.i + 1]).ToList();
        Assert.Equal(["/usr", "/lib", "/lib64", "/etc/ssl", "/etc/alternatives", "/opt/app/bin"], readOnly);
    }

    [Fact]
    public void As_root_the_sandbox_drops_to_an_unprivileged_user_first_and_a_dotnet_outside_usr_is_bound_read_only()
    {
        var launcher = Example with { SandboxUser = 65534, Setpriv = "/usr/bin/setpriv", Dotnet = "/opt/dotnet/dotnet" };

        var argv = launcher.CommandLine(new WorkerLaunch("/tmp/w", new Dictionary<string, string>()), launcher.WorkerCommand);

        Assert.Equal(["/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--no-new-privs", "/usr/bin/bwrap"],
            argv.Take(8));
        Assert.Contains("--ro-bind /opt/dotnet /opt/dotnet", string.Join(' ', argv));
    }

    [Fact]
    public void The_probe_without_bwrap_on_the_path_names_the_missing_piece_and_how_to_install_it()
    {
        var e = Assert.Throws<SandboxUnavailableException>(() => Sandbox.Probe(new SandboxLimits(), path: _dir));

        Assert.Contains("bubblewrap (bwrap)", e.Message);
        Assert.Contains("apt-get install bubblewrap", e.Message);
        Assert.Contains("--no-sandbox", e.Message);
    }

    [FactNeedsSandbox]
    public void The_process_limit_holds_inside_a_real_sandbox_and_there_is_no_network()
    {
        var launcher = Sandbox.Probe(new SandboxLimits { Processes = 40 });
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir, (UnixFileMode)0x1FF);   // as CreateStartInfo does for the sandbox user
        }

        var argv = launcher.CommandLine(new WorkerLaunch(_dir, new Dictionary<string, string>()),
        [
            "/bin/sh", "-c",
            // The shell that cannot fork exits, so the forking runs in a subshell; then count with builtins only.
            "( for i in $(seq 1 100); do sleep 3 & done ) 2>/dev/null; set -- /proc/[0-9]*; echo started=$#; " +
            "n=0; while read -r line; do n=$((n+1)); done < /proc/net/route; echo routes=$n",
        ]);

        var (code, stdout, stderr) = ExternalClient.Run(argv[0], argv.Skip(1), TimeSpan.FromMinutes(1));

        Assert.True(code == 0, stderr);
        int started = int.Parse(stdout.Split('\n')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(started, 10, 40);      // processes in the sandbox's own pid namespace, at most the limit
        Assert.Equal("routes=1", stdout.Split('\n')[1].Trim());   // the routing table has its header only: no route anywhere
    }

    [FactNeedsSandbox]
    public async Task A_sandboxed_worker_runs_cells_in_its_submission_folder_and_sees_nothing_of_the_grader()
    {
        var launcher = Sandbox.Probe(new SandboxLimits());
        File.WriteAllText(Path.Combine(_dir, "answer.txt"), "mine");
        await using var executor = await WorkerExecutor.StartAsync(new WorkerOptions { WorkingDirectory = _dir, Launcher = launcher });
        var outputs = new List<CellOutput>();
        string repo = AppContext.BaseDirectory;

        var outcome = await executor.ExecuteAsync(new CellRequest(
            $$"""
            Console.WriteLine(System.IO.Directory.GetCurrentDirectory());
            Console.WriteLine(System.IO.File.ReadAllText("answer.txt"));
            Console.WriteLine(System.IO.Directory.Exists(@"{{repo}}") + " " + System.IO.Directory.Exists("/root") + " " + System.IO.Directory.Exists("/home"));
            Console.WriteLine(Environment.GetEnvironmentVariable("HOME"));
            System.IO.File.WriteAllText("written.txt", "ok");
            """, 1), outputs.Add);

        Assert.Equal(ExecutionStatus.Ok, outcome.Status);
        string text = string.Concat(outputs.OfType<StreamOutput>().Select(o => o.Text));
        Assert.Equal("/submission\nmine\nFalse False False\n/tmp\n", text);
        Assert.Equal("ok", File.ReadAllText(Path.Combine(_dir, "written.txt")));
    }

    [FactNeedsSandbox]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_program_in_a_folder_only_its_owner_may_enter_still_runs_sandboxed()
    {
        // A clone under /root, say: run as root, the sandbox's unprivileged user cannot enter it, so the probe runs
        // a copy of the program made for this process.
        string locked = Path.Combine(_dir, "locked");
        string app = Path.Combine(locked, "app");
        Directory.CreateDirectory(app);
        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(app, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string work = Directory.CreateTempSubdirectory("workbook-sandbox-work-").FullName;   // as the grader makes it
        var worker = new WorkerLauncher(WorkerLauncher.DotnetHost(), [Path.Combine(app, "workbook.dll"), "worker"]);
        SandboxLauncher? launcher = null;
        try
        {
            launcher = Sandbox.Probe(new SandboxLimits(), worker: worker);
            await using var executor = await WorkerExecutor.StartAsync(new WorkerOptions { WorkingDirectory = work, Launcher = launcher });
            var outputs = new List<CellOutput>();
            var outcome = await executor.ExecuteAsync(new CellRequest("Console.Write(6 * 7);", 1), outputs.Add);

            Assert.Equal(ExecutionStatus.Ok, outcome.Status);
            Assert.Equal("42", string.Concat(outputs.OfType<StreamOutput>().Select(o => o.Text)));
            if (launcher.AppFolder != app)
            {
                // A copy goes when this process exits, or, when it is killed first, with the sweep of a later copy:
                // it is named after this process.
                Assert.StartsWith($"workbook-app-{Environment.ProcessId}-", Path.GetFileName(launcher.AppFolder));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            if (launcher is not null && launcher.AppFolder != app)
            {
                TempFolders.Delete(launcher.AppFolder);   // not left until this test run ends
            }
        }
    }
}
