namespace DeviceTwins.Grains.Twin;

/// <summary>What applying a desired patch did.</summary>
public enum DesiredPatchOutcome
{
    /// <summary>The desired document or its metadata changed.</summary>
    Changed,

    /// <summary>The patch changed nothing (every value already as desired).</summary>
    Unchanged,

    /// <summary>The resulting document would exceed the size limit; nothing changed.</summary>
    TooLarge,
}
