using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Contracts;

/// <summary>Maps the grains' alert, window and rule records to REST contracts.</summary>
public static class AnalyticsMapper
{
    /// <summary>The REST view of an alert.</summary>
    public static AlertResponse ToResponse(this AlertInfo alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var w = alert.Window;
        return new AlertResponse(
            alert.Id, alert.DeviceId, alert.Tenant, alert.Rule, alert.Detector, alert.Metric, alert.Severity, alert.State, alert.Value, alert.EventTime, alert.RaisedAt,
            alert.AcknowledgedAt, alert.ClearedAt, w is null ? null : new AlertWindowResponse(w.Start, w.End, w.Count, w.Min, w.Max, w.Mean, w.StdDev), alert.Reason, alert.Flapping,
            ToResponse(alert.Raise), ToResponse(alert.Clear));
    }

    private static AlertCauseResponse? ToResponse(AlertCauseInfo? cause) =>
        cause is null ? null : new AlertCauseResponse(cause.Value, cause.EventTime, cause.Reason, cause.Statistic, cause.Score, cause.Threshold);

    /// <summary>The REST view of a closed window.</summary>
    public static AggregateResponse ToResponse(this AggregateInfo a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new AggregateResponse(a.Metric, (long)a.Size.TotalSeconds, a.Start, a.End, a.Count, a.Min, a.Max, a.Sum, a.Mean, a.StdDev, a.First, a.Last, a.Late);
    }

    /// <summary>The REST view of a rule in force.</summary>
    public static RuleResponse ToResponse(this RuleInfo rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        using var parameters = JsonDocument.Parse(rule.ParametersJson);
        return new RuleResponse(rule.Name, rule.Detector, rule.Patterns, rule.Watching, rule.Severity, parameters.RootElement.Clone());
    }
}
