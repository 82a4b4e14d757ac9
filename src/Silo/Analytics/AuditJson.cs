using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Silo.Analytics;

/// <summary>The JSON of records on the audit topic (schemas/audit.schema.json).</summary>
public static class AuditJson
{
    /// <summary>An audit record as one JSON document; the detail (a patch, tags) is embedded as JSON when it is JSON.</summary>
    public static byte[] Record(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonRecordBuffer.Write(record, static (json, record) =>
        {
            json.WriteStartObject();
            json.WriteString("id", record.Id);
            json.WriteString("time", record.Time);
            json.WriteStartObject("actor");
            json.WriteString("name", record.Actor);
            Optional(json, "tenant", record.ActorTenant);
            json.WriteEndObject();
            json.WriteString("action", record.Action);
            json.WriteString("deviceId", record.DeviceId);
            Optional(json, "tenant", record.Tenant);
            Optional(json, "target", record.Target);
            json.WriteNumber("versionBefore", record.VersionBefore);
            json.WriteNumber("versionAfter", record.VersionAfter);
            json.WritePropertyName("detail");
            if (record.Action == AuditActions.AlertAcknowledge)
            {
                json.WriteStringValue(record.Detail);
            }
            else
            {
                // A patch or tags the API accepted, so valid JSON.
                json.WriteRawValue(record.Detail);
            }

            json.WriteEndObject();
        });
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
