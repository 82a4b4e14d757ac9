namespace DeviceTwins.Api.Changes;

/// <summary>How a device's place in a fleet query's result changed between two looks at the index.</summary>
public enum FleetChangeKind
{
    /// <summary>The device matches now and did not before.</summary>
    Added,

    /// <summary>The device matched before and still does, with a newer summary or another status.</summary>
    Changed,

    /// <summary>The device matched before and does not now (or fell beyond the stream's limit).</summary>
    Removed,
}
