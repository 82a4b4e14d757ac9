using System.Collections;

namespace DeviceTwins.Analytics.Windows;

/// <summary>
/// A twin's open windows, inline in one array that is reused: a window that closes frees its slot for the next one, so
/// windows opened at every boundary allocate nothing and leave no object for the collector to promote. The array grows
/// two slots at a time, to the most windows the twin has had open at once (every metric and size twice while the last
/// windows wait out their grace), and never shrinks. Order is insertion order.
/// </summary>
public sealed class OpenWindowSet : ICollection<OpenWindow>, IReadOnlyList<OpenWindow>
{
    private OpenWindow[] _items;
    private int _count;

    /// <summary>An empty set.</summary>
    public OpenWindowSet()
        : this(0)
    {
    }

    /// <summary>An empty set with room for <paramref name="capacity"/> windows.</summary>
    public OpenWindowSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _items = capacity == 0 ? [] : new OpenWindow[capacity];
    }

    /// <summary>Windows open.</summary>
    public int Count => _count;

    /// <summary>Slots held, open or free.</summary>
    public int Capacity => _items.Length;

    bool ICollection<OpenWindow>.IsReadOnly => false;

    /// <summary>The window at <paramref name="index"/>, by reference: changes apply to the window in the set.</summary>
    public ref OpenWindow this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return ref _items[index];
        }
    }

    OpenWindow IReadOnlyList<OpenWindow>.this[int index] => this[index];

    /// <summary>Opens an empty window and returns it by reference.</summary>
    public ref OpenWindow Open(string metric, TimeSpan size, DateTimeOffset start)
    {
        ref var window = ref Append();
        window = new OpenWindow { Metric = metric, Size = size, Start = start };
        return ref window;
    }

    /// <summary>Adds a copy of <paramref name="item"/>.</summary>
    public void Add(OpenWindow item) => Append() = item;

    /// <summary>Removes the window at <paramref name="index"/>; those after it move up one place.</summary>
    public void RemoveAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        _count--;
        Array.Copy(_items, index + 1, _items, index, _count - index);
        _items[_count] = default;
    }

    /// <summary>Closes every window.</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, _count);
        _count = 0;
    }

    bool ICollection<OpenWindow>.Contains(OpenWindow item) => IndexOf(item) >= 0;

    bool ICollection<OpenWindow>.Remove(OpenWindow item)
    {
        var index = IndexOf(item);
        if (index < 0)
        {
            return false;
        }

        RemoveAt(index);
        return true;
    }

    /// <inheritdoc/>
    public void CopyTo(OpenWindow[] array, int arrayIndex) => Array.Copy(_items, 0, array, arrayIndex, _count);

    /// <summary>Enumerates copies of the open windows, without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<OpenWindow> IEnumerable<OpenWindow>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ref OpenWindow Append()
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length + 2);
        }

        return ref _items[_count++];
    }

    private int IndexOf(OpenWindow item)
    {
        for (var i = 0; i < _count; i++)
        {
            if (EqualityComparer<OpenWindow>.Default.Equals(_items[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Enumerates an <see cref="OpenWindowSet"/>.</summary>
    public struct Enumerator : IEnumerator<OpenWindow>
    {
        private readonly OpenWindowSet _set;
        private int _index;

        internal Enumerator(OpenWindowSet set)
        {
            _set = set;
            _index = -1;
        }

        /// <inheritdoc/>
        public readonly OpenWindow Current => _set._items[_index];

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext() => ++_index < _set._count;

        /// <inheritdoc/>
        public void Reset() => _index = -1;

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }
}
