using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Silo.Analytics;

/// <summary>The JSON of records on the desired-state topic (schemas/desired.schema.json).</summary>
public static class DesiredStateJson
{
    /// <summary>A desired change as one JSON document: device, twin version, the whole desired document, its delta and the time of the change.</summary>
    public static byte[] Change(DesiredChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        using var buffer = new MemoryStream(256 + change.Desired.Length + change.Delta.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("deviceId", change.DeviceId);
            json.WriteNumber("version", change.Version);
            json.WritePropertyName("desired");
            json.WriteRawValue(change.Desired);
            json.WritePropertyName("delta");
            json.WriteRawValue(change.Delta);
            json.WriteString("time", change.Time);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
