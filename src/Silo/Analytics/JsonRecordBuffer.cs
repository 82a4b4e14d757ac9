using System.Buffers;
using System.Text.Json;

namespace DeviceTwins.Silo.Analytics;

/// <summary>
/// One reusable buffer and JSON writer per thread for the records the silo publishes: a record costs one array of its
/// exact size, not a stream, a writer's buffer that doubles from 256 bytes, and the copies between them.
/// </summary>
internal static class JsonRecordBuffer
{
    // A buffer that grew past this for an unusually large record is dropped rather than held by its thread.
    private const int MaxRetainedBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes one document with <paramref name="write"/> (which must not write another record) and returns its bytes.</summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_writer ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        write(json, state);
        json.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxRetainedBytes)
        {
            t_buffer = null;
            t_writer = null;
        }

        return bytes;
    }
}
