using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.Nab.Data;

/// <summary>One labelled NAB series: its records and its anomaly windows.</summary>
/// <param name="Key">NAB's key for the series, <c>category/series.csv</c>.</param>
/// <param name="Timestamps">Record timestamps, in file order.</param>
/// <param name="Values">Record values, in file order.</param>
/// <param name="Windows">Labelled windows as timestamps.</param>
/// <param name="Spans">The same windows as row indices.</param>
public sealed record NabSeries(string Key, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Values,
    IReadOnlyList<AnomalyWindow> Windows, IReadOnlyList<WindowSpan> Spans)
{
    /// <summary>The category folder, e.g. <c>realTweets</c>.</summary>
    public string Category => Key[..Key.LastIndexOf('/')];

    /// <summary>The file name without <c>.csv</c>, e.g. <c>Twitter_volume_AAPL</c>.</summary>
    public string Name => Path.GetFileNameWithoutExtension(Key);

    /// <summary>The series with <paramref name="detections"/>, ready to score.</summary>
    public SeriesDetections With(IReadOnlyList<bool> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        if (detections.Count != Timestamps.Count)
        {
            throw new ArgumentException($"{Key} has {Timestamps.Count} rows but {detections.Count} detections.", nameof(detections));
        }

        return new SeriesDetections(Spans, detections);
    }
}
