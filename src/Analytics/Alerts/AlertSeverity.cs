namespace DeviceTwins.Analytics.Alerts;

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    /// <summary>Worth knowing.</summary>
    Info,

    /// <summary>Needs attention.</summary>
    Warning,

    /// <summary>Needs action now.</summary>
    Critical,
}
