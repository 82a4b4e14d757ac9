namespace DeviceTwins.Grains.Persistence;

/// <summary>
/// A grain's persistent state written behind: changes mark it dirty, a timer (and deactivation) writes it once for
/// all of them. A failed write keeps it dirty, so the next tick writes again; the state stays served from memory.
/// </summary>
internal sealed class WriteBehindState<TState>(IPersistentState<TState> state, Action<Exception> writeFailed)
{
    private bool _dirty;

    /// <summary>Records that the state changed since its last write.</summary>
    public void MarkDirty() => _dirty = true;

    /// <summary>Writes the state if it changed; reports a failure and keeps it dirty. True when it wrote.</summary>
    public async Task<bool> WriteIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return false;
        }

        _dirty = false;
        try
        {
            await state.WriteStateAsync(cancellationToken);
            return true;
        }
        catch (Exception exception)
        {
            _dirty = true;
            writeFailed(exception);
            return false;
        }
    }
}
