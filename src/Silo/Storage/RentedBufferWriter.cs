using System.Buffers;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// A buffer writer whose array is rented: it grows by renting a larger one and giving the smaller back, and
/// <see cref="Detach"/> hands its array, with the bytes written, to the caller, who gives it back with <see cref="Return"/>.
/// Arrays up to <see cref="SmallLimit"/> come from a pool that keeps many (one per write in flight); larger ones, from
/// a pool that keeps two of each size, so a large state (an alert index shard's) is not a new large-object-heap array on
/// every write, while what the pool holds stays small beside the shards themselves (two arrays of 8 MB at 100,000 devices).
/// </summary>
internal sealed class RentedBufferWriter : IBufferWriter<byte>
{
    /// <summary>The largest array the small pool keeps.</summary>
    public const int SmallLimit = 256 * 1024;

    private const int LargeLimit = 64 * 1024 * 1024;
    private const int SmallestArray = 1024;

    private static readonly ArrayPool<byte> Small = ArrayPool<byte>.Create(SmallLimit, 512);
    private static readonly ArrayPool<byte> Large = ArrayPool<byte>.Create(LargeLimit, 2);

    private byte[] _array = [];
    private int _written;

    /// <summary>Bytes written since the last <see cref="Detach"/>.</summary>
    public int Written => _written;

    /// <summary>Starts a new payload in an array of at least <paramref name="sizeHint"/> bytes; the last one was detached.</summary>
    public void Start(int sizeHint)
    {
        _array = Rent(Math.Max(SmallestArray, sizeHint));
        _written = 0;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _array.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>The payload written, in its rented array; the writer then holds none.</summary>
    public ArraySegment<byte> Detach()
    {
        var payload = new ArraySegment<byte>(_array, 0, _written);
        _array = [];
        _written = 0;
        return payload;
    }

    /// <summary>Gives back an array this writer rented, to the pool it came from.</summary>
    public static void Return(byte[] array)
    {
        if (array.Length == 0)
        {
            return;
        }

        (array.Length <= SmallLimit ? Small : Large).Return(array);
    }

    private static byte[] Rent(int length) => (length <= SmallLimit ? Small : Large).Rent(length);

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        var larger = Rent(Math.Max(needed, Math.Max(SmallestArray, _array.Length * 2)));
        _array.AsSpan(0, _written).CopyTo(larger);
        Return(_array);
        _array = larger;
    }
}
