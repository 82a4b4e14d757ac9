namespace DeviceTwins.Analytics.Detection;

/// <summary>How a <see cref="ZScoreDetector"/> learns its baseline.</summary>
public enum ZScoreMethod
{
    /// <summary>Exact mean and sample standard deviation of the last N values (sliding Welford updates, recomputed every N values).</summary>
    Welford,

    /// <summary>Exponentially weighted mean and variance.</summary>
    Ewma,

    /// <summary>Median and MAD (scaled by 1.4826) of the last N values.</summary>
    Robust,
}
