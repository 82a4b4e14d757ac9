using System.Text.Json;

namespace DeviceTwins.Nab.Platform;

/// <summary>A NAB record as a telemetry record of the platform's contract (README, schemas/telemetry.schema.json).</summary>
public static class TelemetryJson
{
    /// <summary>
    /// <c>{"deviceId":"…","ts":"yyyy-MM-ddTHH:mm:ssZ","metrics":{"value":v}}</c> as UTF-8, the value written so it reads back exactly.
    /// </summary>
    public static byte[] Record(string deviceId, DateTimeOffset timestamp, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The contract carries finite metrics only.");
        }

        using var buffer = new MemoryStream(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("deviceId", deviceId);
            json.WriteString("ts", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteStartObject("metrics");
            json.WriteNumber(NabDevices.Metric, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
