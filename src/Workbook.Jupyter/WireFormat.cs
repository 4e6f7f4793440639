using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbook.Jupyter;

/// <summary>The Jupyter wire format: <c>[identities..., "&lt;IDS|MSG&gt;", signature, header, parent_header,
/// metadata, content, buffers...]</c>, each part a ZeroMQ frame, the four dicts as UTF-8 JSON.</summary>
public static class WireFormat
{
    /// <summary>The delimiter between routing identities and the message.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>The frames of <paramref name="message"/>, signed with <paramref name="signer"/>.</summary>
    public static List<byte[]> Encode(JupyterMessage message, MessageSigner signer)
    {
        byte[][] parts =
        [
            Json(message.Header), Json(message.ParentHeader), Json(message.Metadata), Json(message.Content),
        ];
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(parts)));
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Parses and verifies the frames of a received message.</summary>
    /// <exception cref="InvalidMessageException">No delimiter, too few frames, bad JSON, or a wrong signature.</exception>
    public static JupyterMessage Decode(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        int delimiter = -1;
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                delimiter = i;
                break;
            }
        }

        if (delimiter < 0)
        {
            throw new InvalidMessageException("the message has no <IDS|MSG> delimiter");
        }

        if (frames.Count < delimiter + 6)
        {
            throw new InvalidMessageException(
                $"the message has {frames.Count - delimiter - 1} frames after the delimiter, expected at least 5");
        }

        string signature = Encoding.ASCII.GetString(frames[delimiter + 1]);
        var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
        if (!signer.Verify(signature, parts))
        {
            throw new InvalidMessageException("the message signature is invalid");
        }

        return new JupyterMessage(
            frames.Take(delimiter).ToArray(),
            Parse(parts[0], "header"),
            Parse(parts[1], "parent_header"),
            Parse(parts[2], "metadata"),
            Parse(parts[3], "content"),
            frames.Skip(delimiter + 6).ToArray());
    }

    // Messages go over sockets, never into HTML: only what JSON requires is escaped, so a chart's inlined plotly.js
    // (3.6 MB, full of quotes and angle brackets) is not inflated by \uXXXX escapes.
    private static readonly System.Text.Json.JsonSerializerOptions Options =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Json(JsonObject o) => Encoding.UTF8.GetBytes(o.ToJsonString(Options));

    private static JsonObject Parse(byte[] bytes, string what)
    {
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? new JsonObject();
        }
        catch (JsonException e)
        {
            throw new InvalidMessageException($"the {what} is not valid JSON: {e.Message}");
        }
    }
}

/// <summary>A received message that cannot be accepted (malformed or wrongly signed).</summary>
public sealed class InvalidMessageException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public InvalidMessageException(string message) : base(message)
    {
    }
}
