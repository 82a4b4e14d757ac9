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

    /// <summary>A command of the device changed state (stored); one-way, in the order the changes were made.</summary>
    [OneWay, Alias("OnCommandChanged")]
    Task OnCommandChangedAsync(Commands.CommandInfo command);
}
