using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces.Fleet;

/// <summary>Evaluates a <see cref="DeviceQuery"/> against one device summary.</summary>
public static class DeviceMatcher
{
    /// <summary>Whether <paramref name="device"/>, of status <paramref name="status"/>, satisfies every filter of <paramref name="query"/>.</summary>
    public static bool Matches(DeviceQuery query, DeviceSummary device, DeviceStatus status)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(device);
        if (query.Tenant is { } tenant && !string.Equals(Tenants.Of(device.Tags), tenant, StringComparison.Ordinal))
        {
            return false;
        }

        if (query.Status is { } wanted && wanted != status)
        {
            return false;
        }

        if ((query.LastSeenAfter is { } after && device.LastSeen <= after) || (query.LastSeenBefore is { } before && device.LastSeen >= before))
        {
            return false;
        }

        foreach (var tag in query.Tags)
        {
            if (!device.Tags.TryGetValue(tag.Key, out var value) || !string.Equals(value, tag.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var metric in query.Metrics)
        {
            // A device that never sent the metric matches no comparison on it, not even !=.
            if (!device.Metrics.TryGetValue(metric.Metric, out var latest) || !metric.Accepts(latest))
            {
                return false;
            }
        }

        return true;
    }
}
