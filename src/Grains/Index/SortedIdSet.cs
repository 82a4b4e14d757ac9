namespace DeviceTwins.Grains.Index;

/// <summary>
/// A set of device ids walked in ordinal order from a cursor (plain C#): membership in a hash set, the ordered array
/// sorted again only on the first walk after a change, so a walk after a cursor starts with a binary search.
/// </summary>
public sealed class SortedIdSet
{
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);
    private string[] _ordered = [];
    private bool _stale;

    /// <summary>Ids held.</summary>
    public int Count => _members.Count;

    /// <summary>Adds <paramref name="id"/>; true when it was not held.</summary>
    public bool Add(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var added = _members.Add(id);
        _stale |= added;
        return added;
    }

    /// <summary>Removes <paramref name="id"/>; true when it was held.</summary>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var removed = _members.Remove(id);
        _stale |= removed;
        return removed;
    }

    /// <summary>Whether <paramref name="id"/> is held.</summary>
    public bool Contains(string id) => _members.Contains(id);

    /// <summary>The ids held after <paramref name="afterId"/> (ordinal; all when null), in ordinal order.</summary>
    public ReadOnlySpan<string> After(string? afterId)
    {
        if (_stale)
        {
            _ordered = [.. _members];
            Array.Sort(_ordered, StringComparer.Ordinal);
            _stale = false;
        }

        return After(_ordered, afterId);
    }

    /// <summary>The part of <paramref name="ordered"/> (sorted, ordinal) after <paramref name="afterId"/>; all of it when null.</summary>
    public static ReadOnlySpan<string> After(string[] ordered, string? afterId)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        if (afterId is null)
        {
            return ordered;
        }

        var found = Array.BinarySearch(ordered, afterId, StringComparer.Ordinal);
        return ordered.AsSpan(found >= 0 ? found + 1 : ~found);
    }
}
