using System.Diagnostics;
using DeviceTwins.Grains.Interfaces.Models;
using Orleans.Streams;

namespace DeviceTwins.Grains.Diagnostics;

/// <summary>
/// The twins' activities (source "DeviceTwins.Twins"): a turn that applied a traced record ("twin.apply", child of the
/// record's receipt) and the publication of the outputs it made ("twin.publish", child of that turn, whose id goes out
/// as the published records' "traceparent"). Untraced records, or no listener, cost a scan of the batch and nothing else.
/// </summary>
public static class TwinTracing
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "DeviceTwins.Twins";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the turn's activity when a record of the batch carries a trace context (the latest one's), else null.</summary>
    public static Activity? StartApply(string deviceId, IList<SequentialItem<TelemetryEvent>> items)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (items[i].Item.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var parent))
            {
                var activity = Source.StartActivity("twin.apply", ActivityKind.Internal, parent);
                activity?.SetTag("devicetwins.device.id", deviceId);
                activity?.SetTag("devicetwins.records", items.Count);
                return activity;
            }
        }

        return null;
    }

    /// <summary>Starts the publication's activity as a child of the turn that made the outputs; null when that turn was not traced.</summary>
    public static Activity? StartPublish(string deviceId, ActivityContext turn)
    {
        if (turn == default || !Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("twin.publish", ActivityKind.Producer, turn);
        activity?.SetTag("devicetwins.device.id", deviceId);
        return activity;
    }
}
