namespace DeviceTwins.Analytics.Detection;

/// <summary>Parameters of a <see cref="FlatlineDetector"/>; at least one of <see cref="MinRecords"/> and <see cref="MinDuration"/> must be set.</summary>
public sealed class FlatlineOptions
{
    /// <summary>Largest change from the run's first value that still counts as no change.</summary>
    public double Epsilon { get; set; }

    /// <summary>Raise when a flat run reaches this many records (at least 2).</summary>
    public int? MinRecords { get; set; }

    /// <summary>Raise when a flat run spans this much event time, from its first record to its latest.</summary>
    public TimeSpan? MinDuration { get; set; }

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (!(Epsilon >= 0 && double.IsFinite(Epsilon)))
        {
            yield return "Epsilon must be a finite number, not negative.";
        }

        if (MinRecords is null && MinDuration is null)
        {
            yield return "MinRecords or MinDuration must be set.";
        }

        if (MinRecords < 2)
        {
            yield return "MinRecords must be at least 2.";
        }

        if (MinDuration <= TimeSpan.Zero)
        {
            yield return "MinDuration must be positive.";
        }
    }
}
