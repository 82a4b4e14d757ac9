namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>One change of a twin's desired document, as published on the desired-state topic: the whole document and its delta.</summary>
[GenerateSerializer, Immutable, Alias("dt.desired-change")]
public sealed record DesiredChange(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] long Version,
    [property: Id(2)] string Desired,
    [property: Id(3)] string Delta,
    [property: Id(4)] DateTimeOffset Time)
{
    /// <summary>The deterministic id of the record (header dt.id): a republication after a crash carries the same one.</summary>
    public string Id => string.Concat(DeviceId, ":", Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
