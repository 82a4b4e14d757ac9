using System.Buffers;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.GeneratedCodeHelpers;
using Orleans.Serialization.WireProtocol;

namespace DeviceTwins.Grains.Persistence;

/// <summary>
/// Carries a twin's analytics state inside Orleans' serializer (grain storage) as one length-prefixed field in
/// <see cref="AnalyticsStateCodec"/>'s binary form. State stored before this codec, as JSON, is still read through
/// Orleans' JSON codec, which the silo keeps registered for that.
/// </summary>
[RegisterSerializer]
public sealed class AnalyticsStateFieldCodec : IFieldCodec<DeviceAnalyticsState>
{
    private static readonly Type CodecFieldType = typeof(DeviceAnalyticsState);

    /// <inheritdoc/>
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, DeviceAnalyticsState? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteFieldHeader(fieldIdDelta, expectedType, CodecFieldType, WireType.LengthPrefixed);
        var bytes = AnalyticsStateCodec.Encode(value);
        writer.WriteVarUInt32((uint)bytes.Length);
        writer.Write(bytes);
    }

    /// <inheritdoc/>
    public DeviceAnalyticsState? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
        {
            return ReferenceCodec.ReadReference<DeviceAnalyticsState, TInput>(ref reader, field);
        }

        if (field.FieldType is not null && field.FieldType != CodecFieldType)
        {
            return reader.DeserializeUnexpectedType<TInput, DeviceAnalyticsState>(ref field);
        }

        field.EnsureWireType(WireType.LengthPrefixed);
        var length = (int)reader.ReadVarUInt32();
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            reader.ReadBytes(buffer.AsSpan(0, length));
            var state = AnalyticsStateCodec.Read(buffer.AsSpan(0, length));
            ReferenceCodec.RecordObject(reader.Session, state);
            return state;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
