using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Serialization;
using Orleans.Serialization.Cloning;

namespace DeviceTwins.Grains.Persistence;

/// <summary>Copies a twin's analytics state (Orleans' copier, for the rare copy of a twin state) through its binary form.</summary>
[RegisterCopier]
public sealed class AnalyticsStateCopier : IDeepCopier<DeviceAnalyticsState>
{
    /// <inheritdoc/>
    public DeviceAnalyticsState? DeepCopy(DeviceAnalyticsState? input, CopyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (input is null)
        {
            return null;
        }

        if (context.TryGetCopy<DeviceAnalyticsState>(input, out var copy))
        {
            return copy!;
        }

        copy = AnalyticsStateCodec.Read(AnalyticsStateCodec.Encode(input));
        context.RecordCopy(input, copy);
        return copy;
    }
}
