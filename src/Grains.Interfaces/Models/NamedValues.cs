using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>
/// Values by name of one twin (its latest metric readings, its applied offset per source partition, the metric values
/// of its fleet summary): a handful each, so one small array of pairs searched in order, in insertion order. With
/// three metrics that is 144 bytes against 264 for a dictionary, and with one source partition 64 against 216. Names
/// are the process's shared strings (the twin's <c>TwinNames</c>). A summary's values are never set after it is made.
/// </summary>
[GenerateSerializer, Alias("dt.named-values`1")]
public sealed class NamedValues<TValue> : IReadOnlyDictionary<string, TValue>
{
    // Past this many names a search in order costs more than a hash lookup: an index is kept beside the array (never stored).
    private const int IndexedFrom = 16;

    [Id(0)]
    private KeyValuePair<string, TValue>[] _entries = [];

    [NonSerialized]
    private Dictionary<string, int>? _index;

    public NamedValues()
    {
    }

    /// <summary>The values of <paramref name="entries"/>, which this instance takes as its own (names distinct).</summary>
    public NamedValues(KeyValuePair<string, TValue>[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries;
    }

    public int Count => _entries.Length;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<TValue> Values => _entries.Select(e => e.Value);

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No value named '{key}'.");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _entries[index].Value : default;
        return index >= 0;
    }

    /// <summary>Sets the value named <paramref name="key"/>, adding the name if it is new.</summary>
    public void Set(string key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var index = IndexOf(key);
        if (index < 0)
        {
            index = _entries.Length;
            Array.Resize(ref _entries, index + 1);
            _index?.Add(key, index);
        }

        _entries[index] = new KeyValuePair<string, TValue>(key, value);
    }

    /// <summary>
    /// <paramref name="current"/>, made on first use from <paramref name="stored"/> (the dictionary a twin stored before
    /// this type, read at its old field id), which is then dropped: a twin stored earlier keeps its values, and an
    /// applied offset among them still keeps a replayed record from applying twice.
    /// </summary>
    public static NamedValues<TValue> OnFirstUse(ref NamedValues<TValue>? current, ref Dictionary<string, TValue>? stored)
    {
        if (current is null)
        {
            current = new NamedValues<TValue>();
            if (stored is { Count: > 0 })
            {
                current._entries = [.. stored];
            }

            stored = null;
        }

        return current;
    }

    /// <summary>Makes each name the instance <paramref name="share"/> gives for it.</summary>
    public void ShareKeys(Func<string, string> share)
    {
        ArgumentNullException.ThrowIfNull(share);
        for (var i = 0; i < _entries.Length; i++)
        {
            _entries[i] = new KeyValuePair<string, TValue>(share(_entries[i].Key), _entries[i].Value);
        }
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, TValue>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_entries.Length > IndexedFrom)
        {
            return (_index ??= BuildIndex()).TryGetValue(key, out var at) ? at : -1;
        }

        for (var i = 0; i < _entries.Length; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(_entries.Length, StringComparer.Ordinal);
        for (var i = 0; i < _entries.Length; i++)
        {
            index[_entries[i].Key] = i;
        }

        return index;
    }
}
