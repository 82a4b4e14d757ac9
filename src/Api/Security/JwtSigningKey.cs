namespace DeviceTwins.Api.Security;

/// <summary>Decodes Auth:Jwt:SigningKey.</summary>
public static class JwtSigningKey
{
    /// <summary>The key's bytes, or null when <paramref name="base64"/> is not base64.</summary>
    public static byte[]? TryDecode(string base64)
    {
        var buffer = new byte[((base64 ?? string.Empty).Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64 ?? string.Empty, buffer, out var written) ? buffer[..written] : null;
    }
}
