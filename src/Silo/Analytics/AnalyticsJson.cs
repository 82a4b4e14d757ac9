using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Silo.Analytics;

/// <summary>The JSON of alert and aggregate records on their topics (schemas/alert.schema.json, schemas/aggregate.schema.json).</summary>
public static class AnalyticsJson
{
    /// <summary>An alert change as one JSON document.</summary>
    public static byte[] Alert(AlertInfo alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", alert.Id);
            json.WriteString("deviceId", alert.DeviceId);
            json.WriteString("rule", alert.Rule);
            json.WriteString("detector", alert.Detector);
            if (alert.Metric is null)
            {
                json.WriteNull("metric");
            }
            else
            {
                json.WriteString("metric", alert.Metric);
            }

            json.WriteString("severity", alert.Severity);
            json.WriteString("state", alert.State);
            json.WriteNumber("value", alert.Value);
            json.WriteString("eventTime", alert.EventTime);
            json.WriteString("raisedAt", alert.RaisedAt);
            WriteOptional(json, "acknowledgedAt", alert.AcknowledgedAt);
            WriteOptional(json, "clearedAt", alert.ClearedAt);
            if (alert.Window is { } w)
            {
                json.WriteStartObject("window");
                json.WriteString("start", w.Start);
                json.WriteString("end", w.End);
                json.WriteNumber("count", w.Count);
                json.WriteNumber("min", w.Min);
                json.WriteNumber("max", w.Max);
                json.WriteNumber("mean", w.Mean);
                json.WriteNumber("stdDev", w.StdDev);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("window");
            }

            json.WriteString("reason", alert.Reason);
            json.WriteBoolean("flapping", alert.Flapping);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A closed window as one JSON document.</summary>
    public static byte[] Aggregate(WindowRecord window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var a = window.Aggregate;
        using var buffer = new MemoryStream(384);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", window.Id);
            json.WriteString("deviceId", window.DeviceId);
            json.WriteString("metric", a.Metric);
            json.WriteNumber("windowSeconds", (long)a.Size.TotalSeconds);
            json.WriteString("start", a.Start);
            json.WriteString("end", a.End);
            json.WriteNumber("count", a.Count);
            json.WriteNumber("min", a.Min);
            json.WriteNumber("max", a.Max);
            json.WriteNumber("sum", a.Sum);
            json.WriteNumber("mean", a.Mean);
            json.WriteNumber("stdDev", a.StdDev);
            json.WriteNumber("first", a.First);
            json.WriteNumber("last", a.Last);
            json.WriteNumber("late", a.Late);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
