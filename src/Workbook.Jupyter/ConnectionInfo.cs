using System.Globalization;
using System.Text.Json.Nodes;

namespace Workbook.Jupyter;

/// <summary>A Jupyter connection file: where the kernel binds its five sockets and how messages are signed.</summary>
/// <param name="Transport"><c>tcp</c> or <c>ipc</c>.</param>
/// <param name="Ip">The address to bind (tcp), or the path prefix (ipc).</param>
/// <param name="ShellPort">Shell channel (ROUTER): requests from the client.</param>
/// <param name="IopubPort">IOPub channel (PUB): outputs and status broadcast to every client.</param>
/// <param name="StdinPort">Stdin channel (ROUTER): input requests to the client.</param>
/// <param name="ControlPort">Control channel (ROUTER): interrupt and shutdown, served while shell is busy.</param>
/// <param name="HeartbeatPort">Heartbeat (REP): echoes whatever it receives.</param>
/// <param name="Key">The HMAC key; empty means messages are not signed.</param>
/// <param name="SignatureScheme">The signature scheme, <c>hmac-sha256</c>.</param>
public sealed record ConnectionInfo(
    string Transport,
    string Ip,
    int ShellPort,
    int IopubPort,
    int StdinPort,
    int ControlPort,
    int HeartbeatPort,
    string Key,
    string SignatureScheme)
{
    /// <summary>Reads the connection file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not a connection file.</exception>
    public static ConnectionInfo Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses the JSON of a connection file.</summary>
    /// <exception cref="FormatException">A port is missing or the JSON is not an object.</exception>
    public static ConnectionInfo Parse(string json)
    {
        var o = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("the connection file is not a JSON object");

        int Port(string name) => o[name] is JsonValue v && v.TryGetValue(out int p)
            ? p
            : throw new FormatException($"the connection file has no '{name}'");

        return new ConnectionInfo(
            o["transport"]?.GetValue<string>() ?? "tcp",
            o["ip"]?.GetValue<string>() ?? "127.0.0.1",
            Port("shell_port"),
            Port("iopub_port"),
            Port("stdin_port"),
            Port("control_port"),
            Port("hb_port"),
            o["key"]?.GetValue<string>() ?? "",
            o["signature_scheme"]?.GetValue<string>() ?? "hmac-sha256");
    }

    /// <summary>The ZeroMQ endpoint of a port, e.g. <c>tcp://127.0.0.1:5555</c>.</summary>
    public string Endpoint(int port) => Transport == "ipc"
        ? $"ipc://{Ip}-{port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Transport}://{Ip}:{port.ToString(CultureInfo.InvariantCulture)}";
}
