using System.Globalization;
using System.Text.Json.Nodes;

namespace Workbook.Jupyter;

/// <summary>A Jupyter message: routing identities, header, parent header, metadata, content and binary
/// buffers.</summary>
public sealed class JupyterMessage
{
    /// <summary>The protocol version the kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>Creates a message from its parts.</summary>
    public JupyterMessage(IReadOnlyList<byte[]> identities, JsonObject header, JsonObject parentHeader,
        JsonObject metadata, JsonObject content, IReadOnlyList<byte[]>? buffers = null)
    {
        Identities = identities;
        Header = header;
        ParentHeader = parentHeader;
        Metadata = metadata;
        Content = content;
        Buffers = buffers ?? [];
    }

    /// <summary>The ZeroMQ routing identities (the frames before <c>&lt;IDS|MSG&gt;</c>).</summary>
    public IReadOnlyList<byte[]> Identities { get; }

    /// <summary>msg_id, session, username, date, msg_type, version.</summary>
    public JsonObject Header { get; }

    /// <summary>The header of the request this message answers, or empty.</summary>
    public JsonObject ParentHeader { get; }

    /// <summary>Message metadata.</summary>
    public JsonObject Metadata { get; }

    /// <summary>The message content.</summary>
    public JsonObject Content { get; }

    /// <summary>Extra binary buffers after the content.</summary>
    public IReadOnlyList<byte[]> Buffers { get; }

    /// <summary>The message type, e.g. <c>execute_request</c>.</summary>
    public string MsgType => Header["msg_type"]?.GetValue<string>() ?? "";

    /// <summary>The message id.</summary>
    public string MsgId => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>The session of the sender.</summary>
    public string Session => Header["session"]?.GetValue<string>() ?? "";

    /// <summary>Creates a message of type <paramref name="msgType"/> answering <paramref name="parent"/> (routed
    /// to the parent's identities when <paramref name="routeToParent"/>).</summary>
    public static JupyterMessage Create(string msgType, JsonObject content, JupyterMessage? parent, string session,
        bool routeToParent = true, JsonObject? metadata = null) =>
        new(routeToParent && parent is not null ? parent.Identities : [],
            NewHeader(msgType, session),
            parent is null ? new JsonObject() : (JsonObject)parent.Header.DeepClone(),
            metadata ?? new JsonObject(),
            content);

    /// <summary>A fresh header with a new msg_id and the current UTC time.</summary>
    public static JsonObject NewHeader(string msgType, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = "workbook",
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };
}
