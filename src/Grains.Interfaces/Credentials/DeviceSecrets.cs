using System.Security.Cryptography;
using System.Text;

namespace DeviceTwins.Grains.Interfaces.Credentials;

/// <summary>Device secrets: made from 32 random bytes, stored and compared only as their SHA-256 (they are not passwords people choose).</summary>
public static class DeviceSecrets
{
    /// <summary>The prefix of every device secret, so one found in a log or a repository is recognised.</summary>
    public const string Prefix = "dts_";

    /// <summary>Most credentials a device holds at once (two cover a rotation).</summary>
    public const int MaxPerDevice = 4;

    /// <summary>A new secret: the prefix and 32 random bytes, base64url.</summary>
    public static string Create() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new credential id: 8 random bytes, hex.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The stored form of <paramref name="secret"/>: its SHA-256, lower-case hex.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>Whether two hashes are equal, in time independent of where they differ.</summary>
    public static bool HashesEqual(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
