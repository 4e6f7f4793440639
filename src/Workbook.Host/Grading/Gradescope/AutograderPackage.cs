using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace Workbook.Host.Grading.Gradescope;

/// <summary>Gradescope's autograder for an assignment source: the zip an instructor uploads to a programming
/// assignment. Gradescope unpacks it to <c>/autograder/source</c>, runs <c>setup.sh</c> once as root while it builds
/// the image, and runs <c>run_autograder</c> for every submission (the student's files in
/// <c>/autograder/submission</c>), which must write <c>/autograder/results/results.json</c>.</summary>
/// <remarks>The zip carries everything the grading needs, so neither building the image nor grading downloads
/// anything: the workbook program (the same engine as <c>grade</c>), a private copy of the .NET runtime it runs on
/// (only <c>Microsoft.NETCore.App</c>: the SDK is not needed to grade), the instructor's source with its hidden tests
/// (readable by root only), and the two scripts.</remarks>
internal static class AutograderPackage
{
    /// <summary>The zip's file name for an assignment.</summary>
    public static string FileName(string assignment) => assignment + "-autograder.zip";

    /// <summary>Writes <c>NAME-autograder.zip</c> into <paramref name="outDir"/> for <paramref name="source"/>, with the
    /// program in <paramref name="programFolder"/> (default: this program's own folder); returns the zip's path.</summary>
    public static string Write(AssignmentSource source, string outDir, string? programFolder = null)
    {
        programFolder ??= AppContext.BaseDirectory;
        Directory.CreateDirectory(outDir);
        string zipPath = Path.Combine(outDir, FileName(source.Name));
        string tmp = zipPath + ".tmp";
        using (var zip = new ZipArchive(File.Create(tmp), ZipArchiveMode.Create))
        {
            AddText(zip, "setup.sh", SetupScript, executable: true);
            AddText(zip, "run_autograder", RunScript(source.Name), executable: true);
            AddFile(zip, source.Path, $"instructor/{source.Name}.ipynb", executable: false);
            foreach (string file in ProgramFiles(programFolder))
            {
                AddFile(zip, file, "grader/" + Path.GetRelativePath(programFolder, file).Replace('\\', '/'), executable: false);
            }

            var (dotnetRoot, runtimeFiles) = RuntimeFiles();
            foreach (string file in runtimeFiles)
            {
                string name = "dotnet/" + Path.GetRelativePath(dotnetRoot, file).Replace('\\', '/');
                AddFile(zip, file, name, executable: name == "dotnet/dotnet");
            }
        }

        File.Move(tmp, zipPath, overwrite: true);
        return zipPath;
    }

    /// <summary>The program's files, without what grading on Linux never loads: satellite resource folders,
    /// other platforms' native libraries, debug symbols and API docs.</summary>
    internal static IEnumerable<string> ProgramFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f =>
            {
                string rel = Path.GetRelativePath(folder, f).Replace('\\', '/');
                string first = rel.Split('/')[0];
                bool satellite = first.Length is 2 or 5 or 7 && first.All(c => char.IsLetter(c) || c == '-') && rel.Contains('/');
                bool otherPlatform = rel.StartsWith("runtimes/", StringComparison.Ordinal) && !rel.StartsWith("runtimes/linux", StringComparison.Ordinal) &&
                                     !rel.StartsWith("runtimes/unix", StringComparison.Ordinal);
                return !satellite && !otherPlatform && !rel.EndsWith(".pdb", StringComparison.Ordinal) &&
                       !rel.EndsWith(".xml", StringComparison.Ordinal) && !rel.StartsWith("artifacts/", StringComparison.Ordinal);
            })
            .Order(StringComparer.Ordinal);

    /// <summary>The .NET runtime this process runs on, as a minimal dotnet root: the host (<c>dotnet</c>), its
    /// resolver (<c>host/fxr</c>) and the shared framework <c>Microsoft.NETCore.App</c> of this version.</summary>
    internal static (string Root, IReadOnlyList<string> Files) RuntimeFiles()
    {
        string framework = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
        string root = Path.GetFullPath(Path.Combine(framework, "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        if (!File.Exists(host))
        {
            throw new InvalidOperationException($"the .NET host is not at {host}; the autograder needs a dotnet root to copy");
        }

        var files = new List<string> { host };
        files.AddRange(Directory.EnumerateFiles(Path.Combine(root, "host", "fxr"), "*", SearchOption.AllDirectories));
        files.AddRange(Directory.EnumerateFiles(framework, "*", SearchOption.AllDirectories));
        return (root, files.Order(StringComparer.Ordinal).ToList());
    }

    private static void AddText(ZipArchive zip, string name, string text, bool executable)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.ExternalAttributes = (executable ? 0x1ED : 0x1A4) << 16; // 0755 / 0644
        using var stream = entry.Open();
        var bytes = new UTF8Encoding(false).GetBytes(text.ReplaceLineEndings("\n"));
        stream.Write(bytes);
    }

    private static void AddFile(ZipArchive zip, string path, string name, bool executable)
    {
        var entry = zip.CreateEntryFromFile(path, name, CompressionLevel.Optimal);
        entry.ExternalAttributes = (executable ? 0x1ED : 0x1A4) << 16;
    }

    /// <summary>Run once as root while Gradescope builds the image (with network): bubblewrap for the sandbox, and
    /// the files' rights (the program readable by the separate user, the instructor's source by root only).</summary>
    internal const string SetupScript = """
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04).
        # The workbook grader and its .NET runtime are in this zip; only bubblewrap (the grading sandbox) is installed.
        set -euo pipefail
        cd "$(dirname "$0")"
        if ! command -v bwrap >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq && apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null \
                || echo "setup: bubblewrap could not be installed; student code will run as a separate user instead"
        fi
        # The program and runtime are read by the unprivileged user that runs student code; the instructor's
        # source, with its hidden tests, by root only.
        chmod -R a+rX grader dotnet
        chmod 0755 . dotnet/dotnet run_autograder
        chmod 0700 instructor
        chmod 0600 instructor/*
        echo "setup: done ($(./dotnet/dotnet --list-runtimes | head -n 1))"

        """;

    /// <summary>Run by Gradescope for each submission.</summary>
    internal static string RunScript(string assignment) => $$"""
        #!/usr/bin/env bash
        # Gradescope runs this for every submission: grade /autograder/submission against the instructor's source and
        # write /autograder/results/results.json, rewritten as each part finishes. AUTOGRADER_ROOT (default
        # /autograder) lets the same layout be tried elsewhere.
        set -uo pipefail
        root="${AUTOGRADER_ROOT:-/autograder}"
        here="$root/source"
        export DOTNET_ROOT="$here/dotnet" DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
            DOTNET_NOLOGO=1 DOTNET_gcServer=0
        mkdir -p "$root/results"
        exec "$here/dotnet/dotnet" "$here/grader/workbook.dll" autograde \
            --source "$here/instructor/{{assignment}}.ipynb" \
            --submission "$root/submission" \
            --results "$root/results/results.json"

        """;
}
