namespace DeviceTwins.DetectionBench;

/// <summary>The false raises of one healthy kind over all its seeds, in all and after each series' early life.</summary>
public sealed record FalseAlarmRow(string Kind, int Series, long Records, int Raises, int WorstSeries, int LateRaises)
{
    /// <summary>Records of a series before <see cref="LateRaises"/> are counted: the metric's early life, while it learns its tail.</summary>
    public const int EarlyRecords = 10_000;

    /// <summary>False raises per 100,000 records after each series' first <see cref="EarlyRecords"/>.</summary>
    public double LatePer100k => Records <= (long)Series * EarlyRecords ? 0 : 100_000.0 * LateRaises / (Records - ((long)Series * EarlyRecords));

    /// <summary>False raises per 100,000 records of the metric.</summary>
    public double Per100k => Records == 0 ? 0 : 100_000.0 * Raises / Records;
}
