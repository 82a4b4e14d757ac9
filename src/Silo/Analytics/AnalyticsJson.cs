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
        return JsonRecordBuffer.Write(alert, static (json, alert) =>
        {
            json.WriteStartObject();
            json.WriteString("id", alert.Id);
            json.WriteString("deviceId", alert.DeviceId);
            if (alert.Tenant is null)
            {
                json.WriteNull("tenant");
            }
            else
            {
                json.WriteString("tenant", alert.Tenant);
            }

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
            Number(json, "value", alert.Value);
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
                Number(json, "min", w.Min);
                Number(json, "max", w.Max);
                Number(json, "mean", w.Mean);
                Number(json, "stdDev", w.StdDev);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("window");
            }

            json.WriteString("reason", alert.Reason);
            json.WriteBoolean("flapping", alert.Flapping);
            Cause(json, "raise", alert.Raise);
            Cause(json, "clear", alert.Clear);
            json.WriteEndObject();
        });
    }

    /// <summary>A closed window as one JSON document.</summary>
    public static byte[] Aggregate(WindowRecord window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return JsonRecordBuffer.Write(window, static (json, window) =>
        {
            var a = window.Aggregate;
            json.WriteStartObject();
            json.WriteString("id", window.Id);
            json.WriteString("deviceId", window.DeviceId);
            json.WriteString("metric", a.Metric);
            json.WriteNumber("windowSeconds", (long)a.Size.TotalSeconds);
            json.WriteString("start", a.Start);
            json.WriteString("end", a.End);
            json.WriteNumber("count", a.Count);
            Number(json, "min", a.Min);
            Number(json, "max", a.Max);
            Number(json, "sum", a.Sum);
            Number(json, "mean", a.Mean);
            Number(json, "stdDev", a.StdDev);
            Number(json, "first", a.First);
            Number(json, "last", a.Last);
            json.WriteNumber("late", a.Late);
            json.WriteEndObject();
        });
    }

    // Finite readings can still add up to infinity (a sum or mean past double's range): written as null, never throwing.
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Cause(Utf8JsonWriter json, string name, AlertCauseInfo? cause)
    {
        if (cause is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        Number(json, "value", cause.Value);
        json.WriteString("eventTime", cause.EventTime);
        json.WriteString("reason", cause.Reason);
        if (cause.Statistic is null)
        {
            json.WriteNull("statistic");
        }
        else
        {
            json.WriteString("statistic", cause.Statistic);
        }

        Optional(json, "score", cause.Score);
        Optional(json, "threshold", cause.Threshold);
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            Number(json, name, v);
        }
        else
        {
            json.WriteNull(name);
        }
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
