namespace DeviceTwins.Analytics.Detection;

/// <summary>Parameters of a <see cref="RateOfChangeDetector"/>.</summary>
public sealed class RateOfChangeOptions
{
    /// <summary>Raise when the value changes faster than this many units per second between consecutive records.</summary>
    public double MaxPerSecond { get; set; }

    /// <summary>Once raised, clear when the rate is at most this; defaults to <see cref="MaxPerSecond"/>.</summary>
    public double? ClearPerSecond { get; set; }

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (!(MaxPerSecond > 0 && double.IsFinite(MaxPerSecond)))
        {
            yield return "MaxPerSecond must be a positive finite number.";
        }

        if (ClearPerSecond is { } clear && !(clear >= 0 && double.IsFinite(clear)))
        {
            yield return "ClearPerSecond must be a finite number, not negative.";
        }

        if (ClearPerSecond > MaxPerSecond)
        {
            yield return "ClearPerSecond must not exceed MaxPerSecond.";
        }
    }
}
