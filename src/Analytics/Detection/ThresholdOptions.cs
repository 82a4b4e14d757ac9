namespace DeviceTwins.Analytics.Detection;

/// <summary>Parameters of a <see cref="ThresholdDetector"/>.</summary>
public sealed class ThresholdOptions
{
    /// <summary>Raise when the value is above this limit (for at least <see cref="For"/>).</summary>
    public double? RaiseAbove { get; set; }

    /// <summary>Once raised above, clear when the value is below this limit; defaults to <see cref="RaiseAbove"/>.</summary>
    public double? ClearBelow { get; set; }

    /// <summary>Raise when the value is below this limit (for at least <see cref="For"/>).</summary>
    public double? RaiseBelow { get; set; }

    /// <summary>Once raised below, clear when the value is above this limit; defaults to <see cref="RaiseBelow"/>.</summary>
    public double? ClearAbove { get; set; }

    /// <summary>How long, in event time, the value must stay beyond a raise limit before it raises; zero raises on the first record.</summary>
    public TimeSpan For { get; set; } = TimeSpan.Zero;

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (RaiseAbove is null && RaiseBelow is null)
        {
            yield return "RaiseAbove or RaiseBelow must be set.";
        }

        foreach (var (name, limit) in new[] { (nameof(RaiseAbove), RaiseAbove), (nameof(ClearBelow), ClearBelow), (nameof(RaiseBelow), RaiseBelow), (nameof(ClearAbove), ClearAbove) })
        {
            if (limit is { } value && !double.IsFinite(value))
            {
                yield return $"{name} must be a finite number.";
            }
        }

        if (ClearBelow is not null && RaiseAbove is null)
        {
            yield return "ClearBelow requires RaiseAbove.";
        }

        if (ClearAbove is not null && RaiseBelow is null)
        {
            yield return "ClearAbove requires RaiseBelow.";
        }

        if (ClearBelow > RaiseAbove)
        {
            yield return "ClearBelow must not exceed RaiseAbove.";
        }

        if (ClearAbove < RaiseBelow)
        {
            yield return "ClearAbove must not be less than RaiseBelow.";
        }

        if (RaiseBelow >= RaiseAbove)
        {
            yield return "RaiseBelow must be less than RaiseAbove.";
        }

        if (ClearAbove > RaiseAbove)
        {
            yield return "ClearAbove must not exceed RaiseAbove.";
        }

        if (ClearBelow < RaiseBelow)
        {
            yield return "ClearBelow must not be less than RaiseBelow.";
        }

        if (For < TimeSpan.Zero)
        {
            yield return "For must not be negative.";
        }
    }
}
