using System.Reflection;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
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
        LatencyTrace.Mark("kernel creation: start");
        // Work for the other core while this thread builds the C# kernel (mostly the MEF composition of its
        // workspace) and runs the prelude: the first compilation, which JIT-compiles much of Roslyn, so the prelude
        // finds the compiler warm; then the first chart, so a reader's first chart does not pay for it. Both are done
        // about when the kernel is ready, and do not hold up a reader's first cell.
        // On a thread of its own, so that it never holds a thread of the pool, which the kernel's own work needs.
        var charts = new ChartFormatting();
        new Thread(() =>
        {
            try
            {
                WarmUpCompiler();
                WarmUpCharts(charts);
            }
            catch (Exception)
            {
                // Only a head start, and a failure here must not end the process: on a thread of its own an
                // exception would. It may be out of memory when a cell that runs meanwhile takes it all.
            }
        })
        {
            IsBackground = true,
            Name = "workbook-warm-up",
        }.Start();
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

        if (!MappedMetadataResolver.TryInstall(csharp))
        {
            LatencyTrace.Mark("kernel creation: the C# kernel keeps its own metadata resolver");
        }

        var composite = new CompositeKernel("workbook") { csharp };
        composite.DefaultKernelName = csharp.Name;

        LatencyTrace.Mark("kernel creation: C# kernel built");
        csharp.AddAssemblyReferences(PreloadedAssemblies.Select(a => a.Location));
        LatencyTrace.Mark("kernel creation: references added");
        await loader.LoadFromDirectoryAsync(BundledExtensionsDirectory, composite);
        LatencyTrace.Mark("kernel creation: extensions loaded");
        charts.Register();
        var prelude = await composite.SendAsync(new SubmitCode(Displays.Prelude, csharp.Name), cancellationToken);
        if (prelude.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
        {
            throw new InvalidOperationException($"the workbook kernel's prelude failed: {failed.Message}");
        }

        LatencyTrace.Mark("kernel creation: prelude ran");
        cancellationToken.ThrowIfCancellationRequested();
        return composite;
    }

    /// <summary>Compiles and runs a one-line script with no references beyond the runtime's, so that the code
    /// paths of a compilation are loaded and JIT-compiled.</summary>
    private static void WarmUpCompiler()
    {
        try
        {
            var options = ScriptOptions.Default.WithMetadataResolver(new MappedMetadataResolver(Directory.GetCurrentDirectory()));
            _ = CSharpScript.RunAsync("1", options).GetAwaiter().GetResult();
            LatencyTrace.Mark("kernel creation: compiler warmed up");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a head start: the prelude compiles for real and reports any error.
        }
    }

    /// <summary>Formats a small chart, so the first chart a reader draws does not pay for loading and compiling the
    /// chart code, nor for serialising the default template (which the session then keeps). Nothing is shown: only
    /// the figure JSON is written, so the first real chart still carries plotly.js.</summary>
    private static void WarmUpCharts(ChartFormatting charts)
    {
        try
        {
            var chart = Workbook.Charts.Plot.Titled(Workbook.Charts.Plot.Line([0.0, 1.0], [0.0, 1.0], "warm-up"), "warm-up", "x", "y");
            _ = charts.FigureJson(chart);
            _ = ChartFormatting.InlinePlotlyScript();
            LatencyTrace.Mark("kernel creation: charts warmed up");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a head start: the first chart does the same work and reports any error in its cell.
        }
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
