using System.Collections.Concurrent;
using DeviceTwins.Analytics;
using DeviceTwins.DetectionBench.Series;

namespace DeviceTwins.DetectionBench;

/// <summary>Runs both halves: false raises on healthy series, and detection of injected anomalies, through the default rules.</summary>
public static class DetectionBenchmark
{
    /// <summary>False raises of every healthy kind over <paramref name="seeds"/> series of <paramref name="records"/> each.</summary>
    public static IReadOnlyList<FalseAlarmRow> FalseAlarms(AnalyticsOptions options, int seeds, int records, ConcurrentBag<string>? reasons = null)
    {
        var replay = new EngineReplay(options);
        var rows = new List<FalseAlarmRow>();
        foreach (var kind in Enum.GetValues<StationaryKind>())
        {
            var perSeed = new int[seeds];
            var late = new int[seeds];
            Parallel.For(0, seeds, seed =>
            {
                var raises = replay.Raises(StationaryGenerator.Generate(kind, seed + 1, records));
                perSeed[seed] = raises.Count;
                late[seed] = raises.Count(r => r.Index >= FalseAlarmRow.EarlyRecords);
                foreach (var (index, reason) in raises)
                {
                    reasons?.Add($"{kind} seed {seed + 1} record {index}: {reason}");
                }
            });
            rows.Add(new FalseAlarmRow(kind.ToString(), seeds, (long)seeds * records, perSeed.Sum(), perSeed.Max(), late.Sum()));
        }

        return rows;
    }

    /// <summary>Detection of every anomaly kind over <paramref name="seeds"/> injected series each.</summary>
    public static IReadOnlyList<DetectionRow> Detections(AnalyticsOptions options, int seeds)
    {
        var replay = new EngineReplay(options);
        var rows = new List<DetectionRow>();
        foreach (var kind in Enum.GetValues<AnomalyKind>())
        {
            var delays = new int?[seeds];
            var before = new int[seeds];
            var from = new int[seeds];
            var onsets = new long[seeds];
            var interval = TimeSpan.Zero;
            var horizon = 0;
            Parallel.For(0, seeds, seed =>
            {
                var injected = AnomalyInjector.Inject(kind, seed + 1);
                var raises = replay.Raises(injected.Series);
                before[seed] = raises.Count(r => r.Index < injected.Onset);
                from[seed] = raises.Count - before[seed];
                onsets[seed] = injected.Onset;
                var first = raises.FirstOrDefault(r => r.Index >= injected.Onset);
                delays[seed] = raises.Any(r => r.Index >= injected.Onset) && first.Index < injected.Onset + injected.Horizon ? first.Index - injected.Onset : null;
                interval = injected.Series.Interval;
                horizon = injected.Horizon;
            });
            var detected = delays.Where(d => d is not null).Select(d => d!.Value).ToList();
            rows.Add(new DetectionRow(kind.ToString(), seeds, detected.Count, detected, interval, before.Sum(), onsets.Sum(), horizon, from.Sum()));
        }

        return rows;
    }
}
