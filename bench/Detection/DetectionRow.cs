namespace DeviceTwins.DetectionBench;

/// <summary>How the injected anomalies of one kind were detected over all seeds.</summary>
public sealed record DetectionRow(string Kind, int Series, int Detected, IReadOnlyList<int> Delays, TimeSpan Interval, int RaisesBeforeOnset, long RecordsBeforeOnset, int Horizon, int RaisesFromOnset)
{
    /// <summary>
    /// The chance that a false raise alone falls in the horizon, at the false rate seen before the onsets: a detection fraction
    /// means something only well above it.
    /// </summary>
    public double Chance => 1 - Math.Exp(-FalsePer100k / 100_000 * Horizon);

    /// <summary>Raises per series from the onset to the end of the series: one episode should raise once.</summary>
    public double RaisesPerEpisode => Series == 0 ? 0 : (double)RaisesFromOnset / Series;

    /// <summary>Fraction of the anomalies raised within their horizon.</summary>
    public double Fraction => Series == 0 ? 0 : (double)Detected / Series;

    /// <summary>Median records from onset to the raise among the detected, or null when none was.</summary>
    public double? MedianDelay => Percentile(0.5);

    /// <summary>The 90th percentile of the delays in records.</summary>
    public double? P90Delay => Percentile(0.9);

    /// <summary>False raises before the onsets, per 100,000 records.</summary>
    public double FalsePer100k => RecordsBeforeOnset == 0 ? 0 : 100_000.0 * RaisesBeforeOnset / RecordsBeforeOnset;

    private double? Percentile(double p)
    {
        if (Delays.Count == 0)
        {
            return null;
        }

        var sorted = Delays.Order().ToArray();
        return sorted[(int)Math.Ceiling(p * sorted.Length) - 1];
    }
}
