namespace DeviceTwins.DetectionBench.Series;

/// <summary>
/// Injects one anomaly of a <see cref="AnomalyKind"/> into a healthy series: Gaussian noise (deviation 0.3, one record a
/// second, 20,000 records, onset between records 10,000 and 15,000) or, for the daily shape, the daily sine over 30 days
/// (onset at the start of a day between days 15 and 25).
/// </summary>
public static class AnomalyInjector
{
    private const int NoiseRecords = 20_000;
    private const int SineDays = 30;
    private const int RecordsPerDay = 1440;
    private const int StuckRecords = 600;
    private const int NoisyRecords = 1000;

    /// <summary>Records after onset within which a raise counts as detecting the anomaly.</summary>
    public static int HorizonOf(AnomalyKind kind) => kind switch
    {
        AnomalyKind.Spike => 5,
        AnomalyKind.Stuck => StuckRecords,
        AnomalyKind.DailyShape => RecordsPerDay,
        _ => 1000,
    };

    /// <summary>The anomaly of <paramref name="kind"/> injected with <paramref name="seed"/>.</summary>
    public static InjectedSeries Inject(AnomalyKind kind, int seed)
    {
        var random = new SeriesRandom(unchecked(seed * 7919 + (int)kind));
        if (kind == AnomalyKind.DailyShape)
        {
            var sine = StationaryGenerator.Generate(StationaryKind.DailySine, seed, SineDays * RecordsPerDay);
            var day = random.Next(15, 25);
            var onset = day * RecordsPerDay;
            for (var i = onset; i < onset + RecordsPerDay; i++)
            {
                // The day's swing is gone: the readings stay near the daily mean, well inside the usual range.
                sine.Values[i] = Math.Round((StationaryGenerator.Level + StationaryGenerator.Noise * random.Normal()) * 10) / 10;
            }

            return new InjectedSeries(kind, sine with { Name = $"{kind}-{seed}" }, onset, HorizonOf(kind));
        }

        var series = StationaryGenerator.Generate(StationaryKind.Gaussian, seed, NoiseRecords);
        var values = series.Values;
        var start = random.Next(10_000, 15_000);
        var sign = random.Sign();
        const double sigma = StationaryGenerator.Noise;
        switch (kind)
        {
            case AnomalyKind.Spike:
                values[start] = StationaryGenerator.Level + sign * 8 * sigma;
                break;
            case AnomalyKind.LevelShift:
                for (var i = start; i < values.Length; i++)
                {
                    values[i] += sign * 3 * sigma;
                }

                break;
            case AnomalyKind.Drift:
                for (var i = start; i < values.Length; i++)
                {
                    values[i] += sign * 0.01 * sigma * (i - start + 1);
                }

                break;
            case AnomalyKind.Stuck:
                for (var i = start; i < start + StuckRecords; i++)
                {
                    values[i] = values[start - 1];
                }

                break;
            case AnomalyKind.VarianceChange:
                for (var i = start; i < start + NoisyRecords; i++)
                {
                    values[i] = StationaryGenerator.Level + 3 * (values[i] - StationaryGenerator.Level);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        return new InjectedSeries(kind, series with { Name = $"{kind}-{seed}" }, start, HorizonOf(kind));
    }
}
