namespace DeviceTwins.DetectionBench.Series;

/// <summary>Generates the healthy series of <see cref="StationaryKind"/>.</summary>
public static class StationaryGenerator
{
    /// <summary>Level of every series.</summary>
    public const double Level = 20;

    /// <summary>Noise deviation (or scale) of every noisy series.</summary>
    public const double Noise = 0.3;

    /// <summary>Amplitude of the daily sine.</summary>
    public const double Amplitude = 5;

    /// <summary>Coefficient of the AR(1) process.</summary>
    public const double Ar1Coefficient = 0.98;

    /// <summary>The interval between values of a kind.</summary>
    public static TimeSpan IntervalOf(StationaryKind kind) => kind switch
    {
        StationaryKind.DailySine => TimeSpan.FromMinutes(1),
        StationaryKind.BoundedWalk => TimeSpan.FromSeconds(10),
        _ => TimeSpan.FromSeconds(1),
    };

    /// <summary><paramref name="count"/> values of <paramref name="kind"/> drawn with <paramref name="seed"/>.</summary>
    public static GeneratedSeries Generate(StationaryKind kind, int seed, int count)
    {
        var random = new SeriesRandom(seed);
        var interval = IntervalOf(kind);
        var values = new double[count];
        var ar = 0.0;
        var walk = Level;
        var steps = Level;
        var innovation = Noise * Math.Sqrt(1 - Ar1Coefficient * Ar1Coefficient);
        for (var i = 0; i < count; i++)
        {
            values[i] = kind switch
            {
                StationaryKind.Gaussian => Level + Noise * random.Normal(),
                StationaryKind.StudentT3 => Level + Noise * random.StudentT(3),
                StationaryKind.StudentT5 => Level + Noise * random.StudentT(5),
                StationaryKind.Uniform => Level - 0.5 + random.Uniform(),
                StationaryKind.Ar1 => Level + (ar = Ar1Coefficient * ar + innovation * random.Normal()),
                StationaryKind.Quantized => Math.Round((Level + Noise * random.Normal()) * 4) / 4,
                StationaryKind.DailySine => Math.Round((Daily(interval * i) + Noise * random.Normal()) * 10) / 10,
                StationaryKind.BoundedWalk => walk = Reflect(walk + 0.05 * random.Normal(), 15, 25),
                StationaryKind.ConstantSteps => steps = random.Uniform() < 0.001 ? Reflect(steps + 0.1 * random.Sign(), 19, 21) : steps,
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
            };
        }

        if (kind == StationaryKind.Ar1)
        {
            // Start the process in its stationary distribution rather than at its mean.
            values[0] = Level + Noise * random.Normal();
        }

        return new GeneratedSeries($"{kind}-{seed}", GeneratedSeries.Epoch, interval, values);
    }

    /// <summary>The noiseless daily sine at <paramref name="sinceEpoch"/>: lowest at 06:00, highest at 18:00.</summary>
    public static double Daily(TimeSpan sinceEpoch) => Level - Amplitude * Math.Sin(2 * Math.PI * sinceEpoch.TotalDays);

    private static double Reflect(double value, double low, double high) =>
        value > high ? 2 * high - value : value < low ? 2 * low - value : value;
}
