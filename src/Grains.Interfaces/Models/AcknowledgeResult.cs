namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>What acknowledging an alert did.</summary>
[GenerateSerializer, Alias("dt.ack-result")]
public enum AcknowledgeResult
{
    /// <summary>The alert is now acknowledged (or already was).</summary>
    Acknowledged,

    /// <summary>The device has no such alert.</summary>
    NotFound,

    /// <summary>The alert has cleared.</summary>
    Cleared,
}
