namespace DeviceTwins.Nab.Detectors;

/// <summary>NAB's null baseline: never detects, so it normalises to 0.</summary>
public sealed class NullDetector : ISeriesDetector
{
    public string Name => "null";

    public IReadOnlyList<bool> Detect(string seriesKey, IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new bool[values.Count];
    }
}
