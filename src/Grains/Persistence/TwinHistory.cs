using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.Grains.Persistence;

/// <summary>A twin's retained closed windows and cleared alerts, oldest first.</summary>
public sealed record TwinHistory(IReadOnlyList<WindowAggregate> Windows, IReadOnlyList<Alert> Alerts)
{
    /// <summary>No history.</summary>
    public static TwinHistory Empty { get; } = new([], []);
}
