using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Orleans' binary serializer for stored state, writing into one reusable buffer per thread: a write costs one array
/// of the state's exact size instead of a buffer that doubles from 256 bytes on every write (the largest allocation of
/// the silo's hot path before; see "Cost of one twin" in the README), or, for a store that knows when its command is
/// done with the bytes (<see cref="SerializeRented{T}"/>), no array at all: the state is written straight into a
/// rented array, large states too. The bytes are the same as <see cref="OrleansGrainStorageSerializer"/>'s, so stored
/// states read unchanged.
/// </summary>
public sealed class PooledGrainStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    // A buffer that grew past this for an unusually large state is dropped rather than held by its thread.
    private const int MaxRetainedBytes = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static RentedBufferWriter? t_rented;

    public BinaryData Serialize<T>(T? input) => new(Write(input).ToArray());

    /// <summary>
    /// The serialized state in an array rented from a pool, written there directly (no copy), starting at about the size
    /// the last state of its type had. Give it back with <see cref="Return"/> once nothing can read it any more (the
    /// command that carried it has been answered), or leave it to the collector.
    /// </summary>
    public ArraySegment<byte> SerializeRented<T>(T? input)
    {
        var writer = t_rented ??= new RentedBufferWriter();
        writer.Start(LastSize<T>.Bytes + (LastSize<T>.Bytes / 8));
        try
        {
            serializer.Serialize(input, writer);
        }
        catch (Exception)
        {
            Return(writer.Detach());
            throw;
        }

        LastSize<T>.Bytes = writer.Written;
        return writer.Detach();
    }

    /// <summary>Gives back an array from <see cref="SerializeRented{T}"/>.</summary>
    public static void Return(ArraySegment<byte> rented)
    {
        if (rented.Array is { } array)
        {
            RentedBufferWriter.Return(array);
        }
    }

    // The state's bytes in this thread's buffer, valid until the thread's next call.
    private ReadOnlySpan<byte> Write<T>(T? input)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        serializer.Serialize(input, buffer);
        if (buffer.Capacity > MaxRetainedBytes)
        {
            // Too large to keep: this call's bytes stay valid in the buffer, which the next call no longer reuses.
            t_buffer = null;
        }

        return buffer.WrittenSpan;
    }

    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return serializer.Deserialize<T>(input.ToMemory());
    }

    // The size of the last state of each type written: a shard of the alert index (hundreds of KB) starts in an array of
    // its size rather than growing through every size from 1 KB.
    private static class LastSize<T>
    {
        public static int Bytes;
    }
}
