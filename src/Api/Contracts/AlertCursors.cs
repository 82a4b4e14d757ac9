using System.Buffers.Text;
using System.Globalization;
using System.Text;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Contracts;

/// <summary>The opaque paging cursor of fleet alert queries: the raise time and id of the last alert served, base64url.</summary>
public static class AlertCursors
{
    /// <summary>Encodes the position after <paramref name="alert"/>.</summary>
    public static string Encode(AlertInfo alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{alert.RaisedAt.UtcTicks}:{alert.Id}")));
    }

    /// <summary>Decodes a cursor; false when it is not one this API issued.</summary>
    public static bool TryDecode(string text, out AlertCursor? cursor)
    {
        cursor = null;
        try
        {
            var raw = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !long.TryParse(raw.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || colon == raw.Length - 1)
            {
                return false;
            }

            cursor = new AlertCursor(new DateTimeOffset(ticks, TimeSpan.Zero), raw[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
