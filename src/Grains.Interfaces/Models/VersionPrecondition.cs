namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>An If-Match precondition on a twin write: any existing version (<c>*</c>) or one of the listed versions.</summary>
[GenerateSerializer, Immutable, Alias("dt.version-precondition")]
public sealed record VersionPrecondition([property: Id(0)] bool AnyVersion, [property: Id(1)] IReadOnlyList<long> Versions)
{
    /// <summary>Whether a twin that <paramref name="exists"/> at <paramref name="version"/> satisfies the precondition.</summary>
    public bool IsMetBy(bool exists, long version) => exists && (AnyVersion || Versions.Contains(version));
}
