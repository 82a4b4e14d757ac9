using System.Globalization;

namespace DeviceTwins.Bench;

/// <summary>
/// The silo's stage histograms (its Prometheus text at /metrics) over one phase of the benchmark: the bucket counts at the
/// end minus those at the start, and their quantiles interpolated within the bucket, as Prometheus' histogram_quantile does.
/// </summary>
internal sealed class StageHistograms
{
    /// <summary>Series and stage labels the record-to-alert path is made of, in the path's order.</summary>
    public static readonly (string Series, string? Stage, string Label)[] Stages =
    [
        ("devicetwins_twins_intake_duration_seconds", "kafka", "intake: Kafka timestamp to read by the silo"),
        ("devicetwins_twins_intake_duration_seconds", "delivery", "intake: read to the twin's turn (cache, agent)"),
        ("devicetwins_twins_turn_duration_seconds", null, "twin turn (apply, analytics, state write)"),
        ("devicetwins_twins_write_duration_seconds", null, "  of which the state write"),
        ("devicetwins_twins_write_duration_seconds", "first", "    in the first lane (reading alerts, API)"),
        ("devicetwins_twins_write_duration_seconds", "bulk", "    in the bulk lane"),
        ("devicetwins_twins_publish_stage_duration_seconds", "kafka", "publish: Kafka acknowledgement"),
        ("devicetwins_twins_publish_stage_duration_seconds", "kafka/first", "  by the first lane's producer (reading alerts)"),
        ("devicetwins_twins_publish_stage_duration_seconds", "kafka/bulk", "  by the bulk producer"),
        ("devicetwins_twins_publish_stage_duration_seconds", "history", "publish: history store"),
        ("devicetwins_twins_publish_stage_duration_seconds", "alert_index", "publish: alert index"),
        ("devicetwins_alerts_latency_seconds", null, "event time to alert published"),
    ];

    private readonly Dictionary<(string Series, string? Stage), SortedDictionary<double, double>> _buckets;

    private StageHistograms(Dictionary<(string Series, string? Stage), SortedDictionary<double, double>> buckets) => _buckets = buckets;

    public static async Task<StageHistograms> ScrapeAsync(HttpClient http)
    {
        var buckets = new Dictionary<(string, string?), SortedDictionary<double, double>>();
        foreach (var line in (await http.GetStringAsync("/metrics")).Split('\n'))
        {
            var brace = line.IndexOf("_bucket{", StringComparison.Ordinal);
            if (line.StartsWith('#') || brace < 0)
            {
                continue;
            }

            var series = line[..brace];
            var labels = line[(brace + 8)..line.IndexOf('}', brace)];
            var le = Label(labels, "le");
            if (le is null)
            {
                continue;
            }

            var value = double.Parse(line[(line.IndexOf('}', brace) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            // A lane is counted under its stage and lane ("kafka/first", or "first" for a write) and in the stage's total.
            var stage = Label(labels, "stage");
            var lane = Label(labels, "lane");
            Add((series, stage));
            if (lane is not null)
            {
                Add((series, stage is null ? lane : stage + "/" + lane));
            }

            void Add((string, string?) key)
            {
                if (!buckets.TryGetValue(key, out var counts))
                {
                    buckets[key] = counts = new SortedDictionary<double, double>();
                }

                counts[bound] = counts.GetValueOrDefault(bound) + value;
            }
        }

        return new StageHistograms(buckets);
    }

    /// <summary>Lines "stage: count, p50, p99" for what was recorded between <paramref name="before"/> and this scrape.</summary>
    public IEnumerable<string> Since(StageHistograms before)
    {
        foreach (var (series, stage, label) in Stages)
        {
            if (!_buckets.TryGetValue((series, stage), out var end))
            {
                yield return $"{label,-46} (nothing recorded)";
                continue;
            }

            var start = before._buckets.GetValueOrDefault((series, stage));
            var delta = end.Select(b => (Bound: b.Key, Count: b.Value - (start?.GetValueOrDefault(b.Key) ?? 0))).ToList();
            var total = delta[^1].Count;
            yield return total <= 0
                ? $"{label,-46} (nothing recorded)"
                : $"{label,-46} {total,9:N0} × p50 {Quantile(delta, 0.5) * 1000,9:N1} ms, p99 {Quantile(delta, 0.99) * 1000,9:N1} ms";
        }
    }

    private static double Quantile(List<(double Bound, double Count)> cumulative, double q)
    {
        var rank = q * cumulative[^1].Count;
        var lower = 0.0;
        var below = 0.0;
        foreach (var (bound, count) in cumulative)
        {
            if (count >= rank)
            {
                // Past the last finite bound there is nothing to interpolate to: report that bound.
                if (double.IsPositiveInfinity(bound))
                {
                    return lower;
                }

                var inBucket = count - below;
                return inBucket <= 0 ? bound : lower + ((bound - lower) * (rank - below) / inBucket);
            }

            (lower, below) = (bound, count);
        }

        return lower;
    }

    private static string? Label(string labels, string name)
    {
        var at = labels.IndexOf(name + "=\"", StringComparison.Ordinal);
        if (at < 0 || (at > 0 && labels[at - 1] != ','))
        {
            return null;
        }

        var start = at + name.Length + 2;
        return labels[start..labels.IndexOf('"', start)];
    }
}
