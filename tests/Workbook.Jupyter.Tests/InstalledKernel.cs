namespace Workbook.Jupyter.Tests;

/// <summary>The workbook kernel installed (by the CLI's <c>kernel install --prefix</c>, as a user would) into a
/// temporary prefix, with the environment that makes Jupyter clients find it. It is installed under the real name,
/// the one the workbook's notebooks name in their metadata, so a client started with this environment picks it with
/// no kernel name given (<c>JUPYTER_PATH</c> comes first on the search path, before a user's own install).</summary>
public sealed class InstalledKernel : IDisposable
{
    public const string Name = KernelSpecs.DefaultName;

    public InstalledKernel()
    {
        Prefix = Directory.CreateTempSubdirectory("workbook-kernel-prefix-").FullName;
        string dll = Path.Combine(AppContext.BaseDirectory, "workbook.dll");
        var (code, stdout, stderr) = ExternalClient.Run("dotnet",
            [dll, "kernel", "install", "--prefix", Prefix, "--name", Name], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"kernel install failed ({code}): {stdout}{stderr}");
        Environment = new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = Path.Combine(Prefix, "share", "jupyter"),
            ["PYTHONNOUSERSITE"] = "1",
        };
    }

    public string Prefix { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public void Dispose() => Directory.Delete(Prefix, recursive: true);
}
