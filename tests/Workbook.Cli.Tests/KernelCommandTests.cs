using System.Text.Json.Nodes;

namespace Workbook.Cli.Tests;

/// <summary>The <c>kernel</c> verbs of the built CLI (workbook.dll), run as a user runs them.</summary>
public sealed class KernelCommandTests : IDisposable
{
    private readonly string _prefix = Directory.CreateTempSubdirectory("workbook-kernel-cli-").FullName;

    public void Dispose() => Directory.Delete(_prefix, recursive: true);

    private static (int Code, string Out, string Err) Workbook(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        ExternalClient.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "workbook.dll"), .. args],
            TimeSpan.FromMinutes(1), env);

    [Fact]
    public void Install_list_and_uninstall_with_a_prefix()
    {
        var env = new Dictionary<string, string> { ["JUPYTER_PATH"] = Path.Combine(_prefix, "share", "jupyter") };

        var install = Workbook(env, "kernel", "install", "--prefix", _prefix);
        Assert.True(install.Code == 0, install.Err);
        string spec = Path.Combine(_prefix, "share", "jupyter", "kernels", "workbook-csharp");
        var argv = JsonNode.Parse(File.ReadAllText(Path.Combine(spec, "kernel.json")))!["argv"]!.AsArray()
            .Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "workbook.dll"), argv[1]);
        Assert.Equal(["kernel", "start", "--connection-file", "{connection_file}"], argv[2..]);
        Assert.True(File.Exists(argv[0]) || argv[0] == "dotnet", argv[0]);

        var list = Workbook(env, "kernel", "list");
        Assert.Equal(0, list.Code);
        Assert.Contains("workbook-csharp  C# (Workbook)", list.Out, StringComparison.Ordinal);

        var uninstall = Workbook(env, "kernel", "uninstall", "--prefix", _prefix);
        Assert.True(uninstall.Code == 0, uninstall.Err);
        Assert.False(Directory.Exists(spec));
        Assert.Equal(1, Workbook(env, "kernel", "uninstall", "--prefix", _prefix).Code);
    }

    /// <summary><c>kernel install --user</c> with a fresh home: the spec lands where Debian's jupyter_client looks
    /// for a user's kernels, and it finds it by name.</summary>
    [FactNeedsPython("jupyter_client")]
    public void A_user_install_is_found_by_jupyter_client()
    {
        var env = new Dictionary<string, string>
        {
            ["HOME"] = _prefix, ["JUPYTER_DATA_DIR"] = "", ["XDG_DATA_HOME"] = "", ["JUPYTER_PATH"] = "",
            ["PYTHONNOUSERSITE"] = "1",
        };
        var install = Workbook(env, "kernel", "install", "--user");
        Assert.True(install.Code == 0, install.Err);

        var (code, stdout, stderr) = ExternalClient.Run(ExternalClient.Python,
        [
            "-c", "from jupyter_client.kernelspec import KernelSpecManager as M; s = M().get_kernel_spec('workbook-csharp'); " +
                  "print(s.resource_dir); print(s.display_name); print(s.language)",
        ], TimeSpan.FromMinutes(1), env);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Path.Combine(_prefix, ".local", "share", "jupyter", "kernels", "workbook-csharp"), lines[0]);
        Assert.Equal(["C# (Workbook)", "C#"], lines[1..]);
    }

    [Fact]
    public void User_and_prefix_together_are_refused()
    {
        var r = Workbook(null, "kernel", "install", "--user", "--prefix", _prefix);
        Assert.Equal(2, r.Code);
        Assert.Contains("--user or --prefix", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_without_a_readable_connection_file_fails_with_a_message()
    {
        var r = Workbook(null, "kernel", "start", "--connection-file", Path.Combine(_prefix, "missing.json"));
        Assert.Equal(2, r.Code);
        Assert.Contains("connection file", r.Err, StringComparison.Ordinal);
    }
}
