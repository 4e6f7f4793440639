using System.Text.Json;
using System.Text.Json.Nodes;
using Workbook.Host.Notebooks;
using Workbook.Host;

namespace Workbook.Jupyter;

/// <summary>A kernelspec found in a Jupyter data folder.</summary>
/// <param name="Name">The folder name, which clients use as the kernel name.</param>
/// <param name="DisplayName">What editors show in their kernel list.</param>
/// <param name="Directory">The kernelspec folder (holds kernel.json).</param>
public sealed record InstalledKernelSpec(string Name, string DisplayName, string Directory);

/// <summary>Writes, finds and removes kernelspecs: the <c>kernels/NAME/kernel.json</c> files by which Jupyter
/// clients (VS Code's Jupyter extension, JupyterLab, nbclient) discover and start a kernel.</summary>
public static class KernelSpecs
{
    /// <summary>The kernelspec name used when none is given.</summary>
    public const string DefaultName = NotebookKernelSpec.Name;

    /// <summary>The name editors show.</summary>
    public const string DisplayName = NotebookKernelSpec.DisplayName;

    /// <summary>The per-user kernels folder: <c>$JUPYTER_DATA_DIR/kernels</c>, else
    /// <c>~/.local/share/jupyter/kernels</c> (Linux), <c>~/Library/Jupyter/kernels</c> (macOS) or
    /// <c>%APPDATA%\jupyter\kernels</c> (Windows).</summary>
    public static string UserKernelsDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } data)
            {
                return Path.Combine(data, "kernels");
            }

            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (OperatingSystem.IsWindows())
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter", "kernels");
            }

            if (OperatingSystem.IsMacOS())
            {
                return Path.Combine(home, "Library", "Jupyter", "kernels");
            }

            string xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x
                ? x
                : Path.Combine(home, ".local", "share");
            return Path.Combine(xdg, "jupyter", "kernels");
        }
    }

    /// <summary>The kernels folder under an installation prefix: <c>PREFIX/share/jupyter/kernels</c>.</summary>
    public static string PrefixKernelsDirectory(string prefix) =>
        Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");

    /// <summary>Every kernels folder a Jupyter client searches, in its order: <c>JUPYTER_PATH</c> entries, the
    /// user folder, then the system prefixes.</summary>
    public static IReadOnlyList<string> SearchPath()
    {
        var dirs = new List<string>();
        if (Environment.GetEnvironmentVariable("JUPYTER_PATH") is { Length: > 0 } jp)
        {
            dirs.AddRange(jp.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Path.Combine(d, "kernels")));
        }

        dirs.Add(UserKernelsDirectory);
        if (!OperatingSystem.IsWindows())
        {
            dirs.Add("/usr/local/share/jupyter/kernels");
            dirs.Add("/usr/share/jupyter/kernels");
        }

        return dirs.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The kernel.json of the workbook kernel that starts with <paramref name="argv"/> (whose connection
    /// file argument is the <c>{connection_file}</c> placeholder).</summary>
    public static JsonObject KernelJson(IReadOnlyList<string> argv) => new()
    {
        ["argv"] = new JsonArray(argv.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
        ["display_name"] = DisplayName,
        ["language"] = NotebookKernelSpec.Language,
        // Interrupts arrive as interrupt_request on the control channel, not as SIGINT.
        ["interrupt_mode"] = "message",
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>Writes the kernelspec <paramref name="name"/> into <paramref name="kernelsDirectory"/>
    /// (kernel.json and two logos), replacing an existing one. Returns the kernelspec folder.</summary>
    /// <exception cref="ArgumentException">The name is not a valid kernelspec name.</exception>
    public static string Install(string kernelsDirectory, string name, IReadOnlyList<string> argv)
    {
        ValidateName(name);
        string dir = Path.Combine(kernelsDirectory, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "kernel.json"),
            KernelJson(argv).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllBytes(Path.Combine(dir, "logo-64x64.png"), Logo.Png(64));
        File.WriteAllBytes(Path.Combine(dir, "logo-32x32.png"), Logo.Png(32));
        return dir;
    }

    /// <summary>Removes the kernelspec <paramref name="name"/> from <paramref name="kernelsDirectory"/>. Returns
    /// false when it is not there.</summary>
    public static bool Uninstall(string kernelsDirectory, string name)
    {
        ValidateName(name);
        string dir = Path.Combine(kernelsDirectory, name);
        if (!File.Exists(Path.Combine(dir, "kernel.json")))
        {
            return false;
        }

        Directory.Delete(dir, recursive: true);
        return true;
    }

    /// <summary>Every kernelspec on the search path; a name found twice is listed where clients find it
    /// first.</summary>
    public static IReadOnlyList<InstalledKernelSpec> List()
    {
        var found = new Dictionary<string, InstalledKernelSpec>(StringComparer.Ordinal);
        foreach (string kernels in SearchPath().Where(Directory.Exists))
        {
            foreach (string dir in Directory.EnumerateDirectories(kernels).Order(StringComparer.Ordinal))
            {
                string json = Path.Combine(dir, "kernel.json");
                string name = Path.GetFileName(dir);
                if (!File.Exists(json) || found.ContainsKey(name))
                {
                    continue;
                }

                string display = name;
                try
                {
                    display = JsonNode.Parse(File.ReadAllText(json))?["display_name"]?.GetValue<string>() ?? name;
                }
                catch (JsonException)
                {
                    // listed under its folder name
                }

                found[name] = new InstalledKernelSpec(name, display, dir);
            }
        }

        return found.Values.OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException(
                $"kernel name '{name}' is not valid: use ASCII letters, digits, '-', '_' and '.'", nameof(name));
        }
    }
}

/// <summary>The kernel's logo (four bars of falling height, a distribution, on the workbook's purple), shipped as
/// two PNG files embedded in this assembly (<c>Resources/logo-*.png</c>).</summary>
internal static class Logo
{
    /// <summary>The PNG bytes of the logo of <paramref name="size"/> x <paramref name="size"/> pixels (32 or 64).</summary>
    public static byte[] Png(int size)
    {
        string name = $"kernelspec/logo-{size}x{size}.png";
        using var stream = typeof(Logo).Assembly.GetManifestResourceStream(name)
                           ?? throw new ArgumentOutOfRangeException(nameof(size), size, "the logo ships in 32 and 64 pixels");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
