namespace DeviceTwins.Analytics.Alerts;

/// <summary>The alert of one rule and metric of one device: the current or last alert and its flap history.</summary>
public sealed class AlertState
{
    /// <summary>The current or last alert; null before the first raise.</summary>
    public Alert? Current { get; set; }

    /// <summary>How many alerts this rule and metric have raised; part of each alert's id.</summary>
    public long Raises { get; set; }

    /// <summary>Event times of the latest raises, at most the flap threshold of them.</summary>
    public List<DateTimeOffset> RecentRaises { get; set; } = [];

    /// <summary>When the condition of a flapping alert ended; it clears once the condition has stayed clear for the flap period.</summary>
    public DateTimeOffset? HeldSince { get; set; }
}
