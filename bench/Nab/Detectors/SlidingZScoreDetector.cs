namespace DeviceTwins.Nab.Detectors;

/// <summary>Reference detector: a record is anomalous when it lies more than <see cref="Threshold"/> population standard
/// deviations from the mean of the preceding <see cref="WindowSize"/> records, once <see cref="WarmUp"/> records are in.</summary>
/// <remarks>Every record joins the window after it is judged, anomalous or not. A flat window (deviation 0) never detects.</remarks>
public sealed class SlidingZScoreDetector(int windowSize = 100, double threshold = 4.0, int warmUp = 30) : ISeriesDetector
{
    /// <summary>Records the mean and deviation are taken over.</summary>
    public int WindowSize { get; } = windowSize >= 2 ? windowSize : throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, "At least 2.");

    /// <summary>|z| above which a record is detected.</summary>
    public double Threshold { get; } = threshold > 0 ? threshold : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Positive.");

    /// <summary>Records the window must hold before anything is judged.</summary>
    public int WarmUp { get; } = warmUp >= 2 && warmUp <= windowSize ? warmUp : throw new ArgumentOutOfRangeException(nameof(warmUp), warmUp, "Between 2 and the window size.");

    public string Name => "zscore";

    public IReadOnlyList<bool> Detect(string seriesKey, IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var detections = new bool[values.Count];
        var window = new Queue<double>(WindowSize);
        for (var row = 0; row < values.Count; row++)
        {
            var value = values[row];
            if (window.Count >= WarmUp)
            {
                // Recomputed over the window each time: a running sum would drift on long series.
                var mean = window.Average();
                var deviation = Math.Sqrt(window.Sum(v => (v - mean) * (v - mean)) / window.Count);
                detections[row] = deviation > 0 && Math.Abs(value - mean) / deviation > Threshold;
            }

            if (window.Count == WindowSize)
            {
                window.Dequeue();
            }

            window.Enqueue(value);
        }

        return detections;
    }
}
