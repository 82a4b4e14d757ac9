namespace DeviceTwins.Analytics.Alerts;

/// <summary>The alert lifecycle: flap suppression and history.</summary>
public sealed class AlertOptions
{
    /// <summary>Raises of one rule and metric within this event-time period that make it flapping.</summary>
    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many raises within <see cref="FlapWindow"/> count as flapping; a flapping alert is held active until its condition has stayed clear for a whole <see cref="FlapWindow"/>.</summary>
    public int FlapRaises { get; set; } = 3;

    /// <summary>Cleared alerts each twin keeps for queries.</summary>
    public int Retained { get; set; } = 50;

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (FlapWindow <= TimeSpan.Zero)
        {
            yield return "Alerts:FlapWindow must be positive.";
        }

        if (FlapRaises is < 2 or > 100)
        {
            yield return "Alerts:FlapRaises must be between 2 and 100.";
        }

        if (Retained is < 0 or > 10_000)
        {
            yield return "Alerts:Retained must be between 0 and 10000.";
        }
    }
}
