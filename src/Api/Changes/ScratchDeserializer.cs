using Confluent.Kafka;

namespace DeviceTwins.Api.Changes;

/// <summary>
/// Reads each record's bytes into one buffer it reuses, so a reader that copies only what it keeps allocates nothing per
/// record. What it returns is valid until the consumer's next <c>Consume</c>, on the one thread that consumes.
/// </summary>
internal sealed class ScratchDeserializer : IDeserializer<ReadOnlyMemory<byte>>
{
    private const int SmallestBuffer = 1024;
    private byte[] _buffer = [];

    public ReadOnlyMemory<byte> Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull || data.IsEmpty)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (_buffer.Length < data.Length)
        {
            _buffer = new byte[Math.Max(SmallestBuffer, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)data.Length))];
        }

        data.CopyTo(_buffer);
        return _buffer.AsMemory(0, data.Length);
    }
}
