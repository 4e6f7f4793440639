using System.Text;
using System.Text.Json.Nodes;

namespace Workbook.Jupyter.Tests;

public class WireFormatTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static JupyterMessage Request(string session = "s1") =>
        new([B("client-identity")], JupyterMessage.NewHeader("execute_request", session), new JsonObject(),
            new JsonObject(), new JsonObject { ["code"] = "1+1", ["silent"] = false });

    [Fact]
    public void Signature_is_the_hex_hmac_sha256_of_header_parent_metadata_content()
    {
        // Reference value from Python: hmac.new(b'secret', b'{"a":1}{}{}{"code":"1+1"}', hashlib.sha256).hexdigest()
        var signer = new MessageSigner("secret");
        string signature = signer.Sign([B("{\"a\":1}"), B("{}"), B("{}"), B("{\"code\":\"1+1\"}")]);
        Assert.Equal("0aade2b613919c135b3893a0875ca7c0efb0b38bd72ef786605464553b3a23e6", signature);
    }

    [Fact]
    public void Encode_puts_identities_delimiter_signature_and_four_json_frames_in_order()
    {
        var signer = new MessageSigner("secret");
        var frames = WireFormat.Encode(Request(), signer);

        Assert.Equal(7, frames.Count);
        Assert.Equal("client-identity", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal("<IDS|MSG>", Encoding.UTF8.GetString(frames[1]));
        Assert.Equal(signer.Sign(frames.Skip(3).Take(4)), Encoding.ASCII.GetString(frames[2]));
        var header = JsonNode.Parse(frames[3])!.AsObject();
        Assert.Equal("execute_request", header["msg_type"]!.GetValue<string>());
        Assert.Equal("5.3", header["version"]!.GetValue<string>());
        Assert.Equal("1+1", JsonNode.Parse(frames[6])!["code"]!.GetValue<string>());
    }

    [Fact]
    public void Decode_round_trips_what_Encode_wrote_including_buffers()
    {
        var signer = new MessageSigner("k");
        var original = Request();
        var withBuffers = new JupyterMessage(original.Identities, original.Header, original.ParentHeader,
            original.Metadata, original.Content, [new byte[] { 1, 2, 3 }]);

        var decoded = WireFormat.Decode(WireFormat.Encode(withBuffers, signer), signer);

        Assert.Equal("execute_request", decoded.MsgType);
        Assert.Equal(original.MsgId, decoded.MsgId);
        Assert.Equal("client-identity", Encoding.UTF8.GetString(Assert.Single(decoded.Identities)));
        Assert.Equal("1+1", decoded.Content["code"]!.GetValue<string>());
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(decoded.Buffers));
    }

    [Fact]
    public void Decode_rejects_a_tampered_content()
    {
        var signer = new MessageSigner("k");
        var frames = WireFormat.Encode(Request(), signer);
        frames[^1] = B("{\"code\":\"File.Delete(\\\"x\\\")\"}");

        var e = Assert.Throws<InvalidMessageException>(() => WireFormat.Decode(frames, signer));
        Assert.Contains("signature", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_rejects_a_message_signed_with_another_key()
    {
        var frames = WireFormat.Encode(Request(), new MessageSigner("other"));
        Assert.Throws<InvalidMessageException>(() => WireFormat.Decode(frames, new MessageSigner("k")));
    }

    [Fact]
    public void With_an_empty_key_messages_are_unsigned_and_any_signature_is_accepted()
    {
        var signer = new MessageSigner("");
        var frames = WireFormat.Encode(Request(), signer);
        Assert.Empty(frames[2]);

        frames[2] = B("not-a-signature");
        Assert.Equal("execute_request", WireFormat.Decode(frames, signer).MsgType);
    }

    [Fact]
    public void Decode_rejects_frames_without_delimiter_or_with_too_few_parts()
    {
        var signer = new MessageSigner("");
        Assert.Throws<InvalidMessageException>(() => WireFormat.Decode([B("id"), B("{}"), B("{}")], signer));
        Assert.Throws<InvalidMessageException>(() => WireFormat.Decode([B("<IDS|MSG>"), B(""), B("{}")], signer));
    }

    [Fact]
    public void Decode_rejects_a_frame_that_is_not_json()
    {
        var signer = new MessageSigner("");
        var ex = Assert.Throws<InvalidMessageException>(() =>
            WireFormat.Decode([B("<IDS|MSG>"), B(""), B("{not json"), B("{}"), B("{}"), B("{}")], signer));
        Assert.Contains("header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_carries_the_request_header_as_parent_and_goes_back_to_its_identities()
    {
        var request = Request();
        var reply = JupyterMessage.Create("execute_reply", new JsonObject { ["status"] = "ok" }, request, "kernel-session");

        Assert.Equal(request.MsgId, reply.ParentHeader["msg_id"]!.GetValue<string>());
        Assert.Same(request.Identities, reply.Identities);
        Assert.Equal("kernel-session", reply.Session);
        Assert.NotEqual(request.MsgId, reply.MsgId);
    }

    [Fact]
    public void Unsupported_signature_schemes_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => new MessageSigner("k", "hmac-md5"));
    }

    [Fact]
    public void Connection_file_is_read_with_its_endpoints()
    {
        var info = ConnectionInfo.Parse("""
            {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
             "ip": "127.0.0.1", "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha256",
             "kernel_name": "workbook-csharp"}
            """);
        Assert.Equal("tcp://127.0.0.1:5001", info.Endpoint(info.ShellPort));
        Assert.Equal(5005, info.HeartbeatPort);
        Assert.Equal("abc", info.Key);
        Assert.Throws<FormatException>(() => ConnectionInfo.Parse("""{"shell_port": 1}"""));
    }

    [Theory]
    [InlineData("abc", 2, 2)]
    [InlineData("😀x", 1, 2)]
    [InlineData("😀x", 2, 3)]
    [InlineData("a", 10, 1)]
    public void Cursor_positions_convert_between_code_points_and_utf16(string code, int codePoints, int utf16)
    {
        Assert.Equal(utf16, KernelServer.Utf16Offset(code, codePoints));
        Assert.Equal(Math.Min(codePoints, code.EnumerateRunes().Count()), KernelServer.CodePointOffset(code, utf16));
    }

    [Theory]
    [InlineData("2026-01-01T10:00:00.000000Z", true)]
    [InlineData("2026-01-01T10:00:02.000000Z", false)]
    [InlineData("not a date", false)]
    public void A_request_counts_as_queued_behind_a_failure_when_its_header_was_dated_before_it(string date, bool before)
    {
        var failedAt = new DateTimeOffset(2026, 1, 1, 10, 0, 1, TimeSpan.Zero);
        var request = new JupyterMessage([], new JsonObject { ["date"] = date, ["msg_type"] = "execute_request" },
            new JsonObject(), new JsonObject(), new JsonObject());

        Assert.Equal(before, KernelServer.SentBefore(request, failedAt));
        Assert.False(KernelServer.SentBefore(request, null));
    }
}
