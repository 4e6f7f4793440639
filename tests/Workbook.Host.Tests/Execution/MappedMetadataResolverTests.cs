using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Workbook.Host.Execution;

namespace Workbook.Host.Tests.Execution;

public sealed class MappedMetadataResolverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("workbook-resolver-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task It_installs_in_a_new_csharp_kernel_and_survives_the_first_submission()
    {
        using var kernel = new CSharpKernel();
        Assert.True(MappedMetadataResolver.TryInstall(kernel));
        Assert.False(MappedMetadataResolver.TryInstall(kernel)); // once, before the first submission

        var result = await kernel.SendAsync(new SubmitCode("System.Text.Json.JsonSerializer.Serialize(new[] { 1, 2 })"));

        Assert.Empty(result.Events.OfType<CommandFailed>());
        Assert.Equal("[1,2]", Assert.Single(result.Events.OfType<ReturnValueProduced>()).Value);
        var options = (ScriptOptions)typeof(CSharpKernel)
            .GetField("_scriptOptions", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(kernel)!;
        Assert.IsType<MappedMetadataResolver>(options.MetadataResolver);
    }

    [Theory]
    [InlineData("System.Text.Json.JsonSerializer.Serialize(1)")]
    [InlineData("typeof(Microsoft.CodeAnalysis.SyntaxTree).Name")] // reached only through the kernel's own references
    [InlineData("typeof(System.Reactive.Unit).Name")]
    [InlineData("new System.Collections.Immutable.ImmutableArray<int>().IsDefault")]
    [InlineData("typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.GetName().Name")]
    [InlineData("#r \"System.Xml.Linq.dll\"\nnew System.Xml.Linq.XElement(\"a\").ToString()")]
    public async Task A_cell_compiles_and_fails_as_it_does_with_the_kernels_own_resolver(string code)
    {
        var stock = await RunAsync(code, mapped: false);
        var ours = await RunAsync(code, mapped: true);

        Assert.Equal(stock, ours);
    }

    [Fact]
    public void A_missing_platform_assembly_is_mapped_with_the_implicit_alias()
    {
        var resolver = new MappedMetadataResolver(_dir);
        var definition = MetadataReference.CreateFromFile(typeof(Enumerable).Assembly.Location);
        var identity = new AssemblyIdentity("System.Collections.Immutable");

        var reference = resolver.ResolveMissingAssembly(definition, identity);

        Assert.NotNull(reference);
        Assert.Equal("System.Collections.Immutable.dll", Path.GetFileName(reference.FilePath));
        Assert.Equal(["<implicit>"], reference.Properties.Aliases.ToArray());
        Assert.Same(reference, resolver.ResolveMissingAssembly(definition, identity));
        Assert.Same(reference, new MappedMetadataResolver(_dir).ResolveMissingAssembly(definition, identity));
    }

    [Fact]
    public void An_assembly_outside_the_platform_is_found_next_to_the_one_that_needs_it()
    {
        string library = Emit("WorkbookResolverProbeLibrary", "public class Probe {}", []);
        string user = Emit("WorkbookResolverProbeUser", "public class User : Probe {}",
            [MetadataReference.CreateFromFile(library)]);
        var resolver = new MappedMetadataResolver(_dir);

        var found = resolver.ResolveMissingAssembly(MetadataReference.CreateFromFile(user),
            new AssemblyIdentity("WorkbookResolverProbeLibrary"));
        var missing = resolver.ResolveMissingAssembly(MetadataReference.CreateFromFile(user),
            new AssemblyIdentity("NoSuchAssemblyAnywhere"));

        Assert.Equal(library, found?.FilePath);
        Assert.Null(missing);
    }

    private string Emit(string name, string source, MetadataReference[] references)
    {
        string path = Path.Combine(_dir, name + ".dll");
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location), .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return path;
    }

    /// <summary>The cell's value, or its compiler errors' ids.</summary>
    private static async Task<string> RunAsync(string code, bool mapped)
    {
        using var kernel = new CSharpKernel();
        if (mapped)
        {
            Assert.True(MappedMetadataResolver.TryInstall(kernel));
        }

        var result = await kernel.SendAsync(new SubmitCode(code));
        if (result.Events.OfType<DiagnosticsProduced>().SelectMany(d => d.Diagnostics)
                .Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList() is { Count: > 0 } errors)
        {
            return "errors: " + string.Join(",", errors.Select(e => e.Code).Order(StringComparer.Ordinal));
        }

        return result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed
            ? "failed: " + failed.Message
            : "value: " + result.Events.OfType<ReturnValueProduced>().Single().Value;
    }
}
