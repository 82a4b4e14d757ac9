using System.Text.Json;

namespace DeviceTwins.Nab.Platform;

/// <summary>What the replay reads of one record of the alerts topic (schemas/alert.schema.json).</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Rule">The rule's name.</param>
/// <param name="Metric">The metric, or null for a device-level rule (the heartbeat).</param>
/// <param name="State">raised, acknowledged or cleared.</param>
/// <param name="EventTime">Event time of the change: for a raise, the record that raised it.</param>
/// <param name="Value">The value behind the change.</param>
public sealed record AlertRecord(string DeviceId, string Rule, string? Metric, string State, DateTimeOffset EventTime, double Value)
{
    /// <summary>The state of a raise.</summary>
    public const string Raised = "raised";

    /// <summary>Whether this is a raise of a rule that watches a metric: a NAB detection.</summary>
    public bool IsMetricRaise => Metric is not null && string.Equals(State, Raised, StringComparison.Ordinal);

    /// <summary>Reads an alert record's JSON; throws <see cref="JsonException"/> when a member it needs is missing or of the wrong type.</summary>
    public static AlertRecord Parse(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        try
        {
            var metric = root.GetProperty("metric");
            return new AlertRecord(
                root.GetProperty("deviceId").GetString() ?? throw new JsonException("deviceId is null."),
                root.GetProperty("rule").GetString() ?? throw new JsonException("rule is null."),
                metric.ValueKind == JsonValueKind.Null ? null : metric.GetString(),
                root.GetProperty("state").GetString() ?? throw new JsonException("state is null."),
                root.GetProperty("eventTime").GetDateTimeOffset(),
                root.GetProperty("value").GetDouble());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"Not an alert record: {e.Message}", e);
        }
    }
}
