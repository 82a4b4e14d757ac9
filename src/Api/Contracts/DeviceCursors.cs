using System.Buffers.Text;
using System.Text;
using DeviceTwins.Grains.Interfaces;

namespace DeviceTwins.Api.Contracts;

/// <summary>The opaque paging cursor of fleet device queries: the id of the last device served, base64url.</summary>
public static class DeviceCursors
{
    private const string Prefix = "d1:";

    /// <summary>Encodes the position after <paramref name="deviceId"/>.</summary>
    public static string Encode(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + deviceId));
    }

    /// <summary>Decodes a cursor into the device id it follows; false when it is not one this API issued.</summary>
    public static bool TryDecode(string text, out string? afterId)
    {
        ArgumentNullException.ThrowIfNull(text);
        afterId = null;
        try
        {
            var raw = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            if (!raw.StartsWith(Prefix, StringComparison.Ordinal) || !DeviceIds.IsValid(raw.AsSpan(Prefix.Length)))
            {
                return false;
            }

            afterId = raw[Prefix.Length..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
