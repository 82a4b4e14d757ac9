namespace DeviceTwins.Analytics.Alerts;

/// <summary>Where an alert is in its lifecycle: raised, then optionally acknowledged, then cleared.</summary>
public enum AlertStatus
{
    /// <summary>The condition holds and nobody has acknowledged it.</summary>
    Raised,

    /// <summary>The condition holds and an operator has acknowledged it.</summary>
    Acknowledged,

    /// <summary>The condition has ended.</summary>
    Cleared,
}
