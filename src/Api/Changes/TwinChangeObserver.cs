using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Changes;

/// <summary>The grain observer of one change stream: hands each notified twin and command change to the stream's coalescing buffer.</summary>
internal sealed class TwinChangeObserver(LatestTwin latest) : ITwinChangeObserver
{
    public Task OnTwinChangedAsync(TwinSnapshot twin)
    {
        latest.Offer(twin);
        return Task.CompletedTask;
    }

    public Task OnCommandsChangedAsync(IReadOnlyList<CommandInfo> commands)
    {
        foreach (var command in commands)
        {
            latest.OfferCommand(command);
        }

        return Task.CompletedTask;
    }
}
