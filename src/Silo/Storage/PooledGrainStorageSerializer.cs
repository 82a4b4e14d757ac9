using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Orleans' binary serializer for stored state, writing into one reusable buffer per thread: a write costs one array
/// of the state's exact size instead of a buffer that doubles from 256 bytes on every write (the largest allocation of
/// the silo's hot path before; see "Cost of one twin" in the README). The bytes are the same as
/// <see cref="OrleansGrainStorageSerializer"/>'s, so stored states read unchanged.
/// </summary>
public sealed class PooledGrainStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    // A buffer that grew past this for an unusually large state is dropped rather than held by its thread.
    private const int MaxRetainedBytes = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public BinaryData Serialize<T>(T? input)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        serializer.Serialize(input, buffer);
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxRetainedBytes)
        {
            t_buffer = null;
        }

        return new BinaryData(bytes);
    }

    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return serializer.Deserialize<T>(input.ToMemory());
    }
}
