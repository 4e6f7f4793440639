using System.Text.Json.Nodes;

namespace Workbook.Jupyter.Tests;

public sealed class KernelSpecsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-kernelspec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Install_writes_kernel_json_that_starts_the_kernel_with_the_connection_file()
    {
        string[] argv = ["dotnet", "/x/workbook.dll", "kernel", "start", "--connection-file", "{connection_file}"];
        string spec = KernelSpecs.Install(_dir, "workbook-csharp", argv);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(spec, "kernel.json")))!;
        Assert.Equal(argv, json["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("C# (Workbook)", json["display_name"]!.GetValue<string>());
        Assert.Equal("C#", json["language"]!.GetValue<string>());
        Assert.Equal("message", json["interrupt_mode"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("logo-64x64.png", 64)]
    [InlineData("logo-32x32.png", 32)]
    public void Install_writes_png_logos_of_the_named_size(string file, int size)
    {
        string spec = KernelSpecs.Install(_dir, "wb", ["x"]);
        byte[] png = File.ReadAllBytes(Path.Combine(spec, file));

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void Uninstall_removes_the_spec_and_reports_a_missing_one()
    {
        string spec = KernelSpecs.Install(_dir, "wb", ["x"]);
        Assert.True(KernelSpecs.Uninstall(_dir, "wb"));
        Assert.False(Directory.Exists(spec));
        Assert.False(KernelSpecs.Uninstall(_dir, "wb"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("has space")]
    public void Names_that_are_not_folder_safe_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => KernelSpecs.Install(_dir, name, ["x"]));
    }

    [Fact]
    public void Prefix_installs_go_where_jupyter_looks_under_the_prefix()
    {
        Assert.Equal(Path.Combine(_dir, "share", "jupyter", "kernels"), KernelSpecs.PrefixKernelsDirectory(_dir));
    }

    [Fact]
    public void List_finds_specs_on_JUPYTER_PATH()
    {
        KernelSpecs.Install(KernelSpecs.PrefixKernelsDirectory(_dir), "wb-listed", ["x"]);
        string? old = Environment.GetEnvironmentVariable("JUPYTER_PATH");
        try
        {
            Environment.SetEnvironmentVariable("JUPYTER_PATH", Path.Combine(_dir, "share", "jupyter"));
            var found = Assert.Single(KernelSpecs.List(), s => s.Name == "wb-listed");
            Assert.Equal("C# (Workbook)", found.DisplayName);
        }
        finally
        {
            Environment.SetEnvironmentVariable("JUPYTER_PATH", old);
        }
    }
}
