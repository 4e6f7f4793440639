using System.Security.Cryptography;
using System.Text;

namespace Workbook.Jupyter;

/// <summary>Signs and verifies Jupyter messages: the hex HMAC-SHA256 of header, parent header, metadata and
/// content, keyed by the connection file's key.</summary>
/// <remarks>An empty key turns signing off: the signature is the empty string and any signature is accepted, as
/// the protocol specifies.</remarks>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    /// <summary>Creates a signer for <paramref name="key"/> with <paramref name="scheme"/>.</summary>
    /// <exception cref="NotSupportedException">The scheme is not <c>hmac-sha256</c> (and the key is not empty).</exception>
    public MessageSigner(string key, string scheme = "hmac-sha256")
    {
        _key = Encoding.UTF8.GetBytes(key ?? "");
        if (_key.Length > 0 && !string.Equals(scheme, "hmac-sha256", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"signature scheme '{scheme}' is not supported; expected hmac-sha256");
        }
    }

    /// <summary>False when the key is empty and messages are not signed.</summary>
    public bool IsSigning => _key.Length > 0;

    /// <summary>The lower-case hex signature of the frames, in order; empty when not signing.</summary>
    public string Sign(IEnumerable<byte[]> frames)
    {
        if (!IsSigning)
        {
            return "";
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (byte[] frame in frames)
        {
            hmac.AppendData(frame);
        }

        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>True when <paramref name="signature"/> is the signature of the frames (constant-time compare);
    /// always true when not signing.</summary>
    public bool Verify(string signature, IEnumerable<byte[]> frames)
    {
        if (!IsSigning)
        {
            return true;
        }

        byte[] expected = Encoding.ASCII.GetBytes(Sign(frames));
        byte[] actual = Encoding.ASCII.GetBytes((signature ?? "").ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
