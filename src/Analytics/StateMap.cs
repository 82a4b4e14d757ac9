using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace DeviceTwins.Analytics;

/// <summary>
/// A small map from names (metrics, rules; compared ordinally) to a twin's analytics states, in insertion order. A twin
/// holds a handful of entries per map and a silo holds a twin's maps hundreds of thousands of times over, so the entries
/// live in one array searched in order: a third of a <see cref="Dictionary{TKey, TValue}"/>'s bytes at these sizes (its
/// object, buckets and entries), and a search over a few interned names compares references first. It is an
/// <see cref="IDictionary{TKey, TValue}"/>, so JSON serializers read and write it as an object, as they did the
/// dictionaries it replaced (states stored as JSON before the binary codec).
/// </summary>
public sealed class StateMap<TValue> : IDictionary<string, TValue>
{
    private KeyValuePair<string, TValue>[] _entries;
    private int _count;

    /// <summary>Creates an empty map.</summary>
    public StateMap() => _entries = [];

    /// <summary>Creates an empty map with room for <paramref name="capacity"/> entries.</summary>
    public StateMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _entries = capacity == 0 ? [] : new KeyValuePair<string, TValue>[capacity];
    }

    /// <summary>Entries in the map.</summary>
    public int Count => _count;

    /// <summary>The names, in insertion order.</summary>
    public IEnumerable<string> Keys => this.Select(e => e.Key);

    /// <summary>The states, in insertion order, enumerated without allocating.</summary>
    public ValueView Values => new(this);

    /// <summary>Gets the state of <paramref name="key"/> (throwing when absent) or sets it (adding when absent).</summary>
    public TValue this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The name '{key}' is not in the map.");
        set
        {
            var index = IndexOf(key);
            if (index >= 0)
            {
                _entries[index] = new KeyValuePair<string, TValue>(key, value);
            }
            else
            {
                Append(key, value);
            }
        }
    }

    /// <summary>Adds <paramref name="key"/>; throws when it is present.</summary>
    public void Add(string key, TValue value)
    {
        if (!TryAdd(key, value))
        {
            throw new ArgumentException($"The name '{key}' is already in the map.", nameof(key));
        }
    }

    /// <summary>Adds <paramref name="key"/> unless it is present; false when it is.</summary>
    public bool TryAdd(string key, TValue value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        Append(key, value);
        return true;
    }

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>The state of <paramref name="key"/>, when present.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = default;
            return false;
        }

        value = _entries[index].Value;
        return true;
    }

    /// <summary>Removes <paramref name="key"/>, keeping the order of the others; false when absent.</summary>
    public bool Remove(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        _count--;
        Array.Copy(_entries, index + 1, _entries, index, _count - index);
        _entries[_count] = default;
        return true;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        Array.Clear(_entries, 0, _count);
        _count = 0;
    }

    /// <summary>Enumerates the entries in insertion order without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    ICollection<string> IDictionary<string, TValue>.Keys => [.. Keys];

    ICollection<TValue> IDictionary<string, TValue>.Values => [.. Values];

    bool ICollection<KeyValuePair<string, TValue>>.IsReadOnly => false;

    void ICollection<KeyValuePair<string, TValue>>.Add(KeyValuePair<string, TValue> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, TValue>>.Contains(KeyValuePair<string, TValue> item) =>
        TryGetValue(item.Key, out var value) && EqualityComparer<TValue>.Default.Equals(value, item.Value);

    void ICollection<KeyValuePair<string, TValue>>.CopyTo(KeyValuePair<string, TValue>[] array, int arrayIndex) =>
        Array.Copy(_entries, 0, array, arrayIndex, _count);

    bool ICollection<KeyValuePair<string, TValue>>.Remove(KeyValuePair<string, TValue> item) =>
        ((ICollection<KeyValuePair<string, TValue>>)this).Contains(item) && Remove(item.Key);

    IEnumerator<KeyValuePair<string, TValue>> IEnumerable<KeyValuePair<string, TValue>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entries = _entries;
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void Append(string key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_count == _entries.Length)
        {
            // One more slot at a time while small (a twin's maps stay at a few entries), then doubling.
            Array.Resize(ref _entries, _count < 4 ? _count + 1 : _count * 2);
        }

        _entries[_count++] = new KeyValuePair<string, TValue>(key, value);
    }

    /// <summary>An enumerator over the entries.</summary>
    public struct Enumerator(StateMap<TValue> map) : IEnumerator<KeyValuePair<string, TValue>>
    {
        private int _index = -1;

        public readonly KeyValuePair<string, TValue> Current => map._entries[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < map._count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }

    /// <summary>The states of a map, enumerated without allocating.</summary>
    public readonly struct ValueView(StateMap<TValue> map) : IEnumerable<TValue>
    {
        /// <summary>Enumerates the states in insertion order.</summary>
        public ValueEnumerator GetEnumerator() => new(map);

        IEnumerator<TValue> IEnumerable<TValue>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>An enumerator over the states.</summary>
    public struct ValueEnumerator(StateMap<TValue> map) : IEnumerator<TValue>
    {
        private int _index = -1;

        public readonly TValue Current => map._entries[_index].Value;

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < map._count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
