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
        return JsonRecordBuffer.Write(change, static (json, change) =>
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
        });
    }
}
