using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Analytics.Windows;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Analytics;

/// <summary>Maps the analytics' own types to the wire records of the grain interfaces and the topics.</summary>
public static class AnalyticsMapping
{
    private static readonly JsonSerializerOptions ParameterJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The wire form of an alert of a device of no tenant.</summary>
    public static AlertInfo ToInfo(Alert alert) => ToInfo(alert, null);

    /// <summary>The wire form of an alert of a device of <paramref name="tenant"/> (null: none).</summary>
    public static AlertInfo ToInfo(Alert alert, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var w = alert.Window;
        return new AlertInfo(
            alert.Id,
            alert.DeviceId,
            alert.Rule,
            alert.Detector,
            alert.Metric,
            SeverityName(alert.Severity),
            StateName(alert.Status),
            alert.Value,
            alert.EventTime,
            alert.RaisedAt,
            alert.AcknowledgedAt,
            alert.ClearedAt,
            w is null ? null : new AlertWindowInfo(w.Start, w.End, w.Count, w.Min, w.Max, w.Mean, w.StdDev),
            alert.Reason,
            alert.Flapping,
            ToInfo(alert.Raise),
            ToInfo(alert.Clear),
            tenant);
    }

    /// <summary>The wire form of an alert's raise or clear, or null.</summary>
    public static AlertCauseInfo? ToInfo(AlertCause? cause) =>
        cause is null ? null : new AlertCauseInfo(cause.Value, cause.EventTime, cause.Reason, cause.Statistic, cause.Score, cause.Threshold);

    /// <summary>The wire form of a closed window.</summary>
    public static AggregateInfo ToInfo(WindowAggregate window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new AggregateInfo(window.Metric, window.Size, window.Start, window.End, window.Count, window.Min, window.Max, window.Sum, window.Mean, window.StdDev, window.First, window.Last, window.Late);
    }

    /// <summary>The record of a closed window on the aggregates topic.</summary>
    public static WindowRecord ToRecord(WindowAggregate window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new WindowRecord(window.Id, window.DeviceId, ToInfo(window));
    }

    /// <summary>A rule in force, with the metrics it watches.</summary>
    public static RuleInfo ToInfo(CompiledRule rule, IReadOnlyList<string> watching)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var patterns = rule.IsDeviceLevel ? [] : rule.Options.Metrics.Count == 0 ? ["*"] : rule.Options.Metrics.ToArray();
        return new RuleInfo(rule.Name, rule.DetectorName, patterns, watching, SeverityName(rule.Severity), JsonSerializer.Serialize(rule.Options.Parameters, rule.Options.Parameters.GetType(), ParameterJson));
    }

    /// <summary>The wire name of a severity.</summary>
    public static string SeverityName(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        _ => "critical",
    };

    /// <summary>The wire name of a lifecycle status.</summary>
    public static string StateName(AlertStatus status) => status switch
    {
        AlertStatus.Raised => AlertStates.Raised,
        AlertStatus.Acknowledged => AlertStates.Acknowledged,
        _ => AlertStates.Cleared,
    };
}
