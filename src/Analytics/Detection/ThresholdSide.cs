namespace DeviceTwins.Analytics.Detection;

/// <summary>Which limit of a <see cref="ThresholdDetector"/> a value has crossed.</summary>
public enum ThresholdSide
{
    /// <summary>Inside the limits.</summary>
    None,

    /// <summary>Above <see cref="ThresholdOptions.RaiseAbove"/>.</summary>
    Above,

    /// <summary>Below <see cref="ThresholdOptions.RaiseBelow"/>.</summary>
    Below,
}
