using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace DeviceTwins.Api.Security;

/// <summary>
/// API keys and their stored form "sha256:&lt;64 hex digits&gt;" (SHA-256 of the key's UTF-8 bytes). Keys are 32 random
/// bytes, so a fast unsalted hash cannot be reversed by search, and checking a request costs one SHA-256.
/// </summary>
public static class ApiKeyHash
{
    /// <summary>The prefix of the stored form.</summary>
    public const string Prefix = "sha256:";

    private const string KeyPrefix = "dt_";

    /// <summary>A new key: "dt_" and 32 random bytes in base64url.</summary>
    public static string NewKey() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of <paramref name="key"/>.</summary>
    public static string Create(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Prefix + Convert.ToHexStringLower(Digest(key));
    }

    /// <summary>Parses the stored form into its 32 digest bytes; false when it is not "sha256:" and 64 hex digits.</summary>
    public static bool TryParse(string? hash, out byte[] digest)
    {
        digest = [];
        if (hash is null || !hash.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = hash.AsSpan(Prefix.Length).Trim();
        if (hex.Length != 64)
        {
            return false;
        }

        try
        {
            digest = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes.</summary>
    public static byte[] Digest(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>Whether <paramref name="key"/> matches the stored form <paramref name="hash"/>, compared in constant time.</summary>
    public static bool Verify(string key, string hash) =>
        TryParse(hash, out var expected) && CryptographicOperations.FixedTimeEquals(Digest(key), expected);
}
