namespace DeviceTwins.DetectionBench;

/// <summary>The false raises of one healthy kind over all its seeds.</summary>
public sealed record FalseAlarmRow(string Kind, int Series, long Records, int Raises, int WorstSeries)
{
    /// <summary>False raises per 100,000 records of the metric.</summary>
    public double Per100k => Records == 0 ? 0 : 100_000.0 * Raises / Records;
}
