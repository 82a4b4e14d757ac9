using System.Collections.Concurrent;
using System.Globalization;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Twin;
using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceTwins.ClusterTests;

/// <summary>
/// A copying in-memory grain storage whose next writes can be made to fail, to test recovery from storage errors; it
/// notes each twin write's version and lane.
/// </summary>
public sealed class FlakyGrainStorage(DeepCopier copier) : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, (object State, string ETag)> _entries = new();
    private int _failures;
    private long _version;

    /// <summary>Makes the next <paramref name="count"/> writes throw.</summary>
    public void FailNextWrites(int count) => Interlocked.Exchange(ref _failures, count);

    /// <summary>Writes that failed on purpose so far.</summary>
    public int FailedWrites { get; private set; }

    /// <summary>Every twin write attempted, in order: the twin, the version it stored and whether it asked for the first lane.</summary>
    public ConcurrentQueue<(GrainId Grain, long Version, bool First)> TwinWrites { get; } = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryGetValue(grainId, out var entry))
        {
            grainState.State = copier.Copy((T)entry.State);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.State is DeviceTwinState twin)
        {
            TwinWrites.Enqueue((grainId, twin.Version, ((IPrioritizedWrite)twin).WriteFirst));
        }

        if (Interlocked.Decrement(ref _failures) >= 0)
        {
            FailedWrites++;
            throw new IOException($"Injected storage failure writing {grainId}");
        }

        var etag = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
        _entries[grainId] = (copier.Copy(grainState.State)!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _entries.TryRemove(grainId, out _);
        return Task.CompletedTask;
    }
}
