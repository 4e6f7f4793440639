using System.Reflection;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;
using Workbook.Host.Rendering;

namespace Workbook.Host.Execution;

/// <summary>Builds the kernel every workbook notebook runs in: a <see cref="CompositeKernel"/> whose default
/// child is a C# kernel with <c>#r "nuget: ..."</c>, the workbook library, Plotly.NET and MathNet.Numerics
/// referenced, and package kernel extensions (Plotly.NET.Interactive's chart formatter) loaded.</summary>
/// <remarks>The headless runner, the Jupyter kernel and the grader all build their kernel here, so a notebook
/// behaves the same in each.</remarks>
internal static class NotebookKernelFactory
{
    /// <summary>Assemblies every notebook can use without a <c>#r</c>: the workbook library and its plotting.</summary>
    public static IReadOnlyList<Assembly> PreloadedAssemblies { get; } =
    [
        typeof(Workbook.Core.Information).Assembly,
        typeof(Workbook.Charts.Plot).Assembly,
        typeof(Plotly.NET.GenericChart).Assembly,
        typeof(Plotly.NET.CSharp.Chart).Assembly,
        typeof(Microsoft.FSharp.Core.FSharpOption<>).Assembly,
        typeof(MathNet.Numerics.Distributions.Categorical).Assembly,
    ];

    /// <summary>The folder, next to the host assembly, that holds kernel extensions shipped with the host.</summary>
    public static string BundledExtensionsDirectory =>
        Path.Combine(AppContext.BaseDirectory, "kernel-extensions");

    /// <summary>Creates a ready kernel. Dispose it when the notebook is done.</summary>
    public static async Task<CompositeKernel> CreateAsync(CancellationToken cancellationToken = default)
    {
        var loader = new ExtensionLoader();
        var csharp = new CSharpKernel()
            .UseNugetDirective(async (kernel, packages) =>
            {
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                foreach (var package in packages)
                {
                    await loader.LoadFromPackageAsync(package.PackageRoot, kernel.RootKernel);
                }
            })
            .UseKernelHelpers()
            .UseValueSharing()
            .UseWho();

        var composite = new CompositeKernel("workbook") { csharp };
        composite.DefaultKernelName = csharp.Name;

        csharp.AddAssemblyReferences(PreloadedAssemblies.Select(a => a.Location));
        await loader.LoadFromDirectoryAsync(BundledExtensionsDirectory, composite);
        ChartFormatting.Register();
        var prelude = await composite.SendAsync(new SubmitCode(Displays.Prelude, csharp.Name), cancellationToken);
        if (prelude.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
        {
            throw new InvalidOperationException($"the workbook kernel's prelude failed: {failed.Message}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return composite;
    }

    /// <summary>Loads <see cref="IKernelExtension"/> types from packages' <c>interactive-extensions/dotnet</c>
    /// folders, each assembly at most once.</summary>
    private sealed class ExtensionLoader
    {
        private readonly HashSet<string> _loaded = new(StringComparer.OrdinalIgnoreCase);

        public Task LoadFromPackageAsync(string? packageRoot, Kernel kernel) =>
            string.IsNullOrEmpty(packageRoot)
                ? Task.CompletedTask
                : LoadFromDirectoryAsync(Path.Combine(packageRoot, "interactive-extensions", "dotnet"), kernel);

        public async Task LoadFromDirectoryAsync(string directory, Kernel kernel)
        {
            if (!Directory.Exists(directory))
            {
                return;
            }

            foreach (string dll in Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
            {
                if (!_loaded.Add(Path.GetFileName(dll)))
                {
                    continue;
                }

                var assembly = Assembly.LoadFrom(dll);
                var extensionTypes = assembly.GetExportedTypes()
                    .Where(t => typeof(IKernelExtension).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                    .OrderBy(t => t.FullName, StringComparer.Ordinal);
                foreach (var type in extensionTypes)
                {
                    var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                    await extension.OnLoadAsync(kernel);
                }
            }
        }
    }
}
