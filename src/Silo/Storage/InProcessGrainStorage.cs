using System.Collections.Concurrent;
using System.Globalization;
using DeviceTwins.Grains.Twin;
using Orleans.Storage;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Grain storage for the single-process default (no Redis): keeps each grain's state object in this process,
/// with ETag checks. Orleans' memory storage routes every read and write through storage grains and copies the
/// state; with one silo and one activation per grain at a time, the object itself can be handed over instead.
/// Nothing survives the process, exactly as with any in-memory storage. A twin's write also sets its wake instant in
/// <paramref name="wake"/>, when given.
/// </summary>
public sealed class InProcessGrainStorage(InProcessTwinWakeIndex? wake = null) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), Entry> _entries = new();
    private long _version;

    /// <summary>Grains with stored state.</summary>
    public int Count => _entries.Count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = (T)entry.State;
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = (stateName, grainId);
        var etag = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
        var updated = new Entry(grainState.State!, etag);
        if (_entries.TryGetValue(key, out var current))
        {
            if (current.ETag != grainState.ETag || !_entries.TryUpdate(key, updated, current))
            {
                throw new InconsistentStateException($"ETag mismatch writing {stateName} of {grainId}", current.ETag, grainState.ETag);
            }
        }
        else if (grainState.ETag is not null || !_entries.TryAdd(key, updated))
        {
            throw new InconsistentStateException($"ETag mismatch writing {stateName} of {grainId}: no stored state", "(none)", grainState.ETag);
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        if (wake is not null && grainState.State is DeviceTwinState twin)
        {
            wake.Set(grainId.Key.ToString()!, twin.WakeAt);
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        _entries.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private sealed record Entry(object State, string ETag);
}
