namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A device matches when its tag <see cref="Key"/> equals <see cref="Value"/> (ordinal).</summary>
[GenerateSerializer, Immutable, Alias("dt.tag-filter")]
public sealed record TagFilter([property: Id(0)] string Key, [property: Id(1)] string Value);
