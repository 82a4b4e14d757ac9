using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.Grains.Persistence;

/// <summary>
/// A twin's retained outputs (its latest closed windows and cleared alerts), kept beside the twin's state rather than in it,
/// so they are neither held by every activation nor rewritten by every state write. Appended once published; read on demand.
/// </summary>
public interface ITwinHistoryStore
{
    /// <summary>Appends published windows and cleared alerts, keeping the latest <paramref name="limits"/> of each; appending the same item again is harmless.</summary>
    Task AppendAsync(string deviceId, IReadOnlyList<WindowAggregate> windows, IReadOnlyList<Alert> cleared, TwinHistoryLimits limits);

    /// <summary>The retained windows (oldest first) and cleared alerts (oldest first) of a device, each item once.</summary>
    Task<TwinHistory> ReadAsync(string deviceId);
}
