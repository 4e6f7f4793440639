namespace Workbook.Kernel.Tests;

/// <summary>The workbook kernel installed (by the CLI's <c>kernel install --prefix</c>, as a user would) into a
/// temporary prefix, with the environment that makes Jupyter clients find it.</summary>
public sealed class InstalledKernel : IDisposable
{
    public const string Name = "workbook-csharp-test";

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
