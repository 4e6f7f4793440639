using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.CSharp;

namespace Workbook.Host.Execution;

/// <summary>Resolves a C# kernel's metadata references as .NET Interactive's own resolver does, but maps each
/// assembly file into memory instead of reading it whole.</summary>
/// <remarks>
/// <para>A notebook's first compilation resolves every assembly its references reach: the C# kernel's own
/// (Roslyn, its workspaces and features), Plotly.NET, FSharp.Core, and much of the runtime, about 150 MB of files in a
/// ReadyToRun build. Roslyn's scripting resolver reads each file into fresh memory (<c>PrefetchEntireImage</c>, so
/// that Windows does not keep the files locked), and faulting in that much new memory costs about 0.6 s of the
/// first result on a small virtual machine. A mapped file costs only the pages of metadata the compiler reads, and
/// those come from the page cache.</para>
/// <para>The search is the scripting resolver's: an assembly a reference is missing is looked up by simple name among
/// the trusted platform assemblies (the runtime's and the application's), then next to the assembly that needs it,
/// and it gets the <c>&lt;implicit&gt;</c> alias, so its types are reachable only through the references that
/// need them. References a cell names with <c>#r "path"</c> are resolved by the scripting resolver, then
/// mapped.</para>
/// <para><see cref="CSharpKernel"/> has no setting for its resolver, and the .NET Interactive packages are final
/// (the project was retired in 2026, the version is pinned): <see cref="TryInstall"/> sets the kernel's private
/// script options once, before its first submission. Should those fields ever be missing, it returns false and the
/// kernel keeps its own resolver, which works the same, only slower; the tests check that it installs.</para>
/// </remarks>
internal sealed class MappedMetadataResolver : MetadataReferenceResolver
{
    private static readonly MetadataReferenceProperties ImplicitReference =
        MetadataReferenceProperties.Assembly.WithAliases(["<implicit>"]);

    private static readonly Lazy<IReadOnlyDictionary<string, string>> TrustedPlatformAssemblies = new(ReadTrustedPlatformAssemblies);

    private readonly ScriptMetadataResolver _scripting;
    private readonly ConcurrentDictionary<AssemblyIdentity, PortableExecutableReference?> _missing = new();
    // One per file and properties in the process: the files do not change while it runs, and compilations that share
    // a reference's metadata also share the symbols Roslyn builds from it (the compiler's warm-up, later kernels).
    private static readonly ConcurrentDictionary<(string Path, MetadataReferenceProperties Properties), PortableExecutableReference> Mapped = new();

    /// <summary>A resolver for scripts whose relative <c>#r</c> paths start at <paramref name="baseDirectory"/>.</summary>
    public MappedMetadataResolver(string baseDirectory)
    {
        BaseDirectory = baseDirectory;
        _scripting = ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory);
    }

    /// <summary>The folder relative <c>#r</c> paths start at.</summary>
    public string BaseDirectory { get; }

    /// <inheritdoc/>
    public override bool ResolveMissingAssemblies => true;

    /// <summary>Makes <paramref name="kernel"/> resolve its references with a new resolver based at the current
    /// directory. Call it before the kernel's first submission. Returns false, changing nothing, when this version
    /// of <see cref="CSharpKernel"/> does not have the fields it sets.</summary>
    public static bool TryInstall(CSharpKernel kernel)
    {
        const BindingFlags instance = BindingFlags.Instance | BindingFlags.NonPublic;
        var optionsField = typeof(CSharpKernel).GetField("_scriptOptions", instance);
        var directoryField = typeof(CSharpKernel).GetField("_workingDirectory", instance);
        if (optionsField?.FieldType != typeof(ScriptOptions) || directoryField?.FieldType != typeof(string) ||
            optionsField.GetValue(kernel) is not ScriptOptions options || directoryField.GetValue(kernel) is not null)
        {
            return false;
        }

        // The kernel replaces the resolver when it sees the current directory change, and a kernel that has not run
        // yet has seen none: record the current one as seen, so the first submission keeps this resolver.
        string directory = Directory.GetCurrentDirectory();
        optionsField.SetValue(kernel, options.WithMetadataResolver(new MappedMetadataResolver(directory)));
        directoryField.SetValue(kernel, directory);
        return true;
    }

    /// <inheritdoc/>
    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath,
        MetadataReferenceProperties properties) =>
        [.. _scripting.ResolveReference(reference, baseFilePath, properties)
            .Select(r => r.FilePath is { } path ? Map(path, r.Properties) : r)];

    /// <inheritdoc/>
    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition,
        AssemblyIdentity referenceIdentity) =>
        _missing.GetOrAdd(referenceIdentity, identity => Find(identity.Name, definition) is { } path
            ? Map(path, ImplicitReference)
            : null);

    /// <inheritdoc/>
    public override bool Equals(object? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    /// <summary>The file of the assembly named <paramref name="name"/>: a trusted platform assembly, else one next
    /// to <paramref name="definition"/>.</summary>
    private static string? Find(string name, MetadataReference definition)
    {
        if (TrustedPlatformAssemblies.Value.TryGetValue(name, out string? trusted))
        {
            return trusted;
        }

        if (Path.GetDirectoryName((definition as PortableExecutableReference)?.FilePath) is { Length: > 0 } folder)
        {
            foreach (string extension in (string[])[".dll", ".exe"])
            {
                string candidate = Path.Combine(folder, name + extension);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static PortableExecutableReference Map(string path, MetadataReferenceProperties properties) =>
        Mapped.GetOrAdd((path, properties), key =>
        {
            string xml = Path.ChangeExtension(key.Path, ".xml");
            var documentation = File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null;
            return AssemblyMetadata.CreateFromFile(key.Path).GetReference(documentation, key.Properties.Aliases,
                key.Properties.EmbedInteropTypes, key.Path);
        });

    private static IReadOnlyDictionary<string, string> ReadTrustedPlatformAssemblies()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string paths)
        {
            foreach (string path in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                {
                    byName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
                }
            }
        }

        return byName;
    }
}
