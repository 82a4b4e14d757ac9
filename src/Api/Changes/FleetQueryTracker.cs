using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Changes;

/// <summary>
/// The result of one fleet query as a stream last sent it, and what changed in a newer result: devices that entered,
/// changed (a newer summary version, or another status, which can change with the clock alone) or left. Plain C#.
/// </summary>
public sealed class FleetQueryTracker
{
    private Dictionary<string, (long Version, DeviceStatus Status)> _members = new(StringComparer.Ordinal);

    /// <summary>How many devices the last result held.</summary>
    public int Count => _members.Count;

    /// <summary>Takes <paramref name="current"/> as the result and returns the changes from the previous one, by device id.</summary>
    public IReadOnlyList<FleetChange> Update(IReadOnlyList<FleetDevice> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var next = new Dictionary<string, (long Version, DeviceStatus Status)>(current.Count, StringComparer.Ordinal);
        var changes = new List<FleetChange>();
        foreach (var device in current)
        {
            var state = (device.Summary.Version, device.Status);
            if (!next.TryAdd(device.DeviceId, state))
            {
                throw new ArgumentException($"Device '{device.DeviceId}' appears twice in one result.", nameof(current));
            }

            if (!_members.TryGetValue(device.DeviceId, out var before))
            {
                changes.Add(new FleetChange(FleetChangeKind.Added, device.DeviceId, device));
            }
            else if (before != state)
            {
                changes.Add(new FleetChange(FleetChangeKind.Changed, device.DeviceId, device));
            }
        }

        foreach (var id in _members.Keys)
        {
            if (!next.ContainsKey(id))
            {
                changes.Add(new FleetChange(FleetChangeKind.Removed, id, null));
            }
        }

        _members = next;
        changes.Sort((a, b) => string.CompareOrdinal(a.DeviceId, b.DeviceId));
        return changes;
    }
}
