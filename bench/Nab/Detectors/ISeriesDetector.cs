namespace DeviceTwins.Nab.Detectors;

/// <summary>A detector replayed over one series at a time, emitting one binary detection per record.</summary>
public interface ISeriesDetector
{
    /// <summary>The name used in the results folder and the printed table.</summary>
    string Name { get; }

    /// <summary>Replays the series <paramref name="seriesKey"/> (<c>category/series.csv</c>) from its first record, in order; true where the detector alerts.</summary>
    IReadOnlyList<bool> Detect(string seriesKey, IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values);
}
