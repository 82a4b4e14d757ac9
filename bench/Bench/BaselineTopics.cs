namespace DeviceTwins.Bench;

/// <summary>Where the baseline loop writes its outputs: topics of its own, so the silo's outputs stay apart for the latency phase.</summary>
internal static class BaselineTopics
{
    public const string Alerts = "bench.baseline.alerts";

    public const string Aggregates = "bench.baseline.aggregates";
}
