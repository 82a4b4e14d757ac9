using System.Collections;

namespace DeviceTwins.Grains.Twin;

/// <summary>
/// The highest applied offset of each source partition ("topic:partition") of one twin: almost always one, so one small
/// array of pairs searched in order (64 bytes with one source, against 216 for a dictionary of one entry). Keys are the
/// process's shared strings (<see cref="TwinUpdater.SourceKey"/>).
/// </summary>
[GenerateSerializer, Alias("dt.source-offsets")]
public sealed class SourceOffsets : IEnumerable<KeyValuePair<string, long>>
{
    [Id(0)]
    private KeyValuePair<string, long>[] _entries = [];

    /// <summary>Sources with an applied offset.</summary>
    public int Count => _entries.Length;

    /// <summary>The applied offset of <paramref name="source"/>, if one was applied.</summary>
    public bool TryGetValue(string source, out long offset)
    {
        var index = IndexOf(source);
        offset = index >= 0 ? _entries[index].Value : default;
        return index >= 0;
    }

    /// <summary>Sets the applied offset of <paramref name="source"/>, adding the source if it is new.</summary>
    public void Set(string source, long offset)
    {
        ArgumentNullException.ThrowIfNull(source);
        var index = IndexOf(source);
        if (index < 0)
        {
            index = _entries.Length;
            Array.Resize(ref _entries, index + 1);
        }

        _entries[index] = new KeyValuePair<string, long>(source, offset);
    }

    /// <summary>The offsets of <paramref name="offsets"/> (as stored before this type), or none.</summary>
    public static SourceOffsets From(IReadOnlyDictionary<string, long>? offsets)
    {
        var result = new SourceOffsets();
        if (offsets is { Count: > 0 })
        {
            result._entries = [.. offsets];
        }

        return result;
    }

    /// <summary>Makes each source key the instance <paramref name="share"/> gives for it.</summary>
    public void ShareKeys(Func<string, string> share)
    {
        ArgumentNullException.ThrowIfNull(share);
        for (var i = 0; i < _entries.Length; i++)
        {
            _entries[i] = new KeyValuePair<string, long>(share(_entries[i].Key), _entries[i].Value);
        }
    }

    public IEnumerator<KeyValuePair<string, long>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, long>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string source)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            if (string.Equals(_entries[i].Key, source, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
