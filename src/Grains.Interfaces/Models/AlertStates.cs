namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>The states of an alert as they appear on the wire, in the API and on the alerts topic.</summary>
public static class AlertStates
{
    /// <summary>The condition holds, unacknowledged.</summary>
    public const string Raised = "raised";

    /// <summary>The condition holds, acknowledged by an operator.</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>The condition has ended.</summary>
    public const string Cleared = "cleared";
}
