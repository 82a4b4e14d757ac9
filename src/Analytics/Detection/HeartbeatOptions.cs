namespace DeviceTwins.Analytics.Detection;

/// <summary>Parameters of a <see cref="HeartbeatDetector"/>.</summary>
public sealed class HeartbeatOptions
{
    /// <summary>Raise after a silence longer than this many expected intervals (greater than 1).</summary>
    public double Multiplier { get; set; } = 3;

    /// <summary>Intervals between records observed before the detector may raise.</summary>
    public int WarmUp { get; set; } = 5;

    /// <summary>Floor of the expected interval, so a burst of records does not make a short silence alarming.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Weight of each new interval in the exponentially weighted mean interval, in (0, 1].</summary>
    public double Alpha { get; set; } = 0.2;

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (!(Multiplier > 1 && double.IsFinite(Multiplier)))
        {
            yield return "Multiplier must be a finite number greater than 1.";
        }

        if (WarmUp < 1)
        {
            yield return "WarmUp must be at least 1.";
        }

        if (MinInterval <= TimeSpan.Zero)
        {
            yield return "MinInterval must be positive.";
        }

        if (!(Alpha > 0 && Alpha <= 1))
        {
            yield return "Alpha must be greater than 0 and at most 1.";
        }
    }
}
