using DeviceTwins.Grains.Interfaces.Models;
using Orleans.Concurrency;

namespace DeviceTwins.Grains.Interfaces;

/// <summary>Receives a device twin after each durable change (telemetry applied, desired patch, tags).</summary>
[Alias("dt.ITwinChangeObserver")]
public interface ITwinChangeObserver : IGrainObserver
{
    /// <summary>The twin as stored after a change; one-way, so a slow or vanished observer never delays the twin.</summary>
    [OneWay, Alias("OnTwinChanged")]
    Task OnTwinChangedAsync(TwinSnapshot twin);

    /// <summary>
    /// Commands of the device changed state (stored): the changes one write stored, in the order they were made, in one
    /// call (one-way calls are not ordered with each other, so a write's changes never travel apart).
    /// </summary>
    [OneWay, Alias("OnCommandsChanged")]
    Task OnCommandsChangedAsync(IReadOnlyList<Commands.CommandInfo> commands);
}
