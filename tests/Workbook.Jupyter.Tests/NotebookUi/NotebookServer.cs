using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Workbook.Host.Running;
using Workbook.Host;

namespace Workbook.Jupyter.Tests.NotebookUi;

/// <summary>Debian's classic Jupyter Notebook (<c>jupyter-notebook</c>, 6.x) serving a copy of the workbook's
/// notebooks/ and data/ on 127.0.0.1, with only the workbook kernel installed (into a prefix on
/// <c>JUPYTER_PATH</c>) and its own config and runtime folders, so nothing of the user's Jupyter setup takes part
/// and nothing in the checkout is written (autosave writes into the copy).</summary>
public sealed class NotebookServer : IDisposable
{
    private readonly InstalledKernel _kernel = new();
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public NotebookServer()
    {
        var layout = WorkbookLayout.Find(AppContext.BaseDirectory);
        Root = Directory.CreateTempSubdirectory("workbook-notebook-ui-").FullName;
        NotebooksDirectory = Path.Combine(Root, "notebooks");
        Directory.CreateDirectory(NotebooksDirectory);
        foreach (string lesson in layout.Lessons())
        {
            File.Copy(lesson, Path.Combine(NotebooksDirectory, Path.GetFileName(lesson)));
        }

        CopyDirectory(layout.DataDirectory, Path.Combine(Root, "data"));
        Token = Guid.NewGuid().ToString("N");
        Port = FreePort();

        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = NotebooksDirectory,
        };
        foreach (string a in new[]
                 {
                     "--no-browser", "--ip=127.0.0.1", $"--port={Port}", "--port-retries=0",
                     $"--notebook-dir={NotebooksDirectory}", $"--NotebookApp.token={Token}",
                     "--NotebookApp.open_browser=False", "--NotebookApp.disable_check_xsrf=False",
                     // kernels named by a notebook are started as is; the kernel list holds only what JUPYTER_PATH offers
                     "--KernelSpecManager.ensure_native_kernel=False",
                 })
        {
            psi.ArgumentList.Add(a);
        }

        if (Environment.IsPrivilegedProcess)
        {
            psi.ArgumentList.Add("--allow-root");   // CI runs as root; the server refuses that unless told
        }

        foreach (var (name, value) in _kernel.Environment)
        {
            psi.Environment[name] = value;
        }

        psi.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(Root, "config");
        psi.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime");
        psi.Environment["JUPYTER_DATA_DIR"] = Path.Combine(Root, "data-dir");
        psi.Environment["IPYTHONDIR"] = Path.Combine(Root, "ipython");
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            WaitUntilServing(TimeSpan.FromSeconds(60));
        }
        catch
        {
            Dispose();   // a server that did not start leaves no process, prefix or copy behind
            throw;
        }
    }

    /// <summary>Debian's notebook server.</summary>
    public static string Executable => File.Exists("/usr/bin/jupyter-notebook") ? "/usr/bin/jupyter-notebook" : "jupyter-notebook";

    /// <summary>Null when Debian's jupyter-notebook can be started, else why the test skips.</summary>
    public static string? Missing() => ExternalClient.Succeeds(Executable, "--version")
        ? null
        : "needs Jupyter Notebook (apt-get install jupyter-notebook); skipped";

    public string Root { get; }

    public string NotebooksDirectory { get; }

    public string Token { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The file list, logged in with the token.</summary>
    public string TreeUrl => $"{BaseUrl}/tree?token={Token}";

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string LogText
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private void WaitUntilServing(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"jupyter-notebook exited with {_process.ExitCode}:\n{LogText}");
            }

            try
            {
                using var response = http.GetAsync($"{BaseUrl}/api/status?token={Token}").GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"jupyter-notebook did not serve {BaseUrl} within {timeout}:\n{LogText}");
            }

            // Poll the server's own status endpoint until it answers.
            _process.WaitForExit(TimeSpan.FromMilliseconds(200));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // The server stops its kernels when it is interrupted; kill it (and them) if it does not.
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            _process.Dispose();
            _kernel.Dispose();
            Directory.Delete(Root, recursive: true);
        }
    }
}
