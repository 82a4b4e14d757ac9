namespace DeviceTwins.Nab.Detectors;

/// <summary>The detectors the replay tool can run, by name.</summary>
public static class DetectorCatalog
{
    /// <summary>The detector the tool runs when none is named: the platform's own analytics with their defaults.</summary>
    public const string Default = "devicetwins";

    /// <summary>Accepted names for <c>--detector</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["devicetwins", "zscore", "null"];

    /// <summary>The detector called <paramref name="name"/>.</summary>
    public static ISeriesDetector Create(string name) => name switch
    {
        "devicetwins" => new DeviceTwinsDetector(),
        "zscore" => new SlidingZScoreDetector(),
        "null" => new NullDetector(),
        _ => throw new ArgumentException($"Unknown detector '{name}'; use one of: {string.Join(", ", Names)}.", nameof(name)),
    };
}
