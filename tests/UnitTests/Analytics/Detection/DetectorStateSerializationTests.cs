using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class DetectorStateSerializationTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static TheoryData<string> Detectors => ["threshold", "zscore-welford", "zscore-ewma", "zscore-robust", "zscore-envelope-sustained", "rate", "flatline"];

    [Theory]
    [MemberData(nameof(Detectors))]
    public void RoundTrip_AsBaseType_ContinuesIdentically(string name)
    {
        var detector = Create(name);
        var state = detector.CreateState();
        var values = Values(400);
        for (var i = 0; i < 200; i++)
        {
            detector.Observe(state, "m", values[i], At(i));
        }

        var json = JsonSerializer.Serialize(state, Json);
        var copy = JsonSerializer.Deserialize<DetectorState>(json, Json)!;

        Assert.IsType(state.GetType(), copy);
        Assert.Equal(json, JsonSerializer.Serialize(copy, Json));
        var anomalies = 0;
        for (var i = 200; i < values.Length; i++)
        {
            var verdict = detector.Observe(state, "m", values[i], At(i));
            Assert.Equal(verdict, detector.Observe(copy, "m", values[i], At(i)));
            anomalies += verdict.Anomalous ? 1 : 0;
        }

        Assert.InRange(anomalies, 1, values.Length - 201);
    }

    [Fact]
    public void Serialize_State_WritesKindDiscriminatorFirst()
    {
        var json = JsonSerializer.Serialize<DetectorState>(new RateOfChangeState { Anomalous = true, Rate = 2.5 }, Json);

        Assert.Equal("""{"kind":"rate","Rate":2.5,"Anomalous":true,"LastTimestamp":null,"LastValue":null}""", json);
    }

    [Fact]
    public void RoundTrip_HeartbeatState_ContinuesIdentically()
    {
        var detector = new HeartbeatDetector(new HeartbeatOptions { WarmUp = 3 });
        var state = detector.CreateState();
        for (var i = 0; i < 10; i++)
        {
            detector.Observe(state, At(i * 7 + i % 3));
        }

        var copy = JsonSerializer.Deserialize<HeartbeatState>(JsonSerializer.Serialize(state, Json), Json)!;

        Assert.Equal(detector.NextCheck(state), detector.NextCheck(copy));
        Assert.Equal(detector.Check(state, At(500)), detector.Check(copy, At(500)));
        Assert.Equal(detector.Observe(state, At(501)), detector.Observe(copy, At(501)));
        Assert.Equal(detector.NextCheck(state), detector.NextCheck(copy));
    }

    private static IMetricDetector Create(string name) => name switch
    {
        "threshold" => new ThresholdDetector(new ThresholdOptions { RaiseAbove = 60, ClearBelow = 55, RaiseBelow = 5, For = TimeSpan.FromMilliseconds(500) }),
        "zscore-welford" => new ZScoreDetector(new ZScoreOptions { Window = 64, WarmUp = 10, RaiseZ = 2, ClearZ = 1 }),
        "zscore-ewma" => new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.1, WarmUp = 10, RaiseZ = 2, ClearZ = 1 }),
        "zscore-robust" => new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Robust, Window = 31, WarmUp = 10, RaiseZ = 2, ClearZ = 1 }),
        "zscore-envelope-sustained" => new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.1, WarmUp = 10, RaiseZ = 20, ClearZ = 1, EnvelopeHalfLife = 50, SustainedZ = 2 }),
        "rate" => new RateOfChangeDetector(new RateOfChangeOptions { MaxPerSecond = 20, ClearPerSecond = 10 }),
        _ => new FlatlineDetector(new FlatlineOptions { Epsilon = 0.5, MinRecords = 3 }),
    };

    // Noise with spikes, flat stretches and rounding, so every detector changes state along the way.
    private static double[] Values(int count)
    {
        var random = new Random(7);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (i % 50) switch
            {
                < 10 => 30,
                < 12 => 70 + 30 * random.NextDouble(),
                _ => 30 + 10 * Math.Round(random.NextDouble() * 3, 1) / 3 + 1e-7 * random.NextDouble(),
            };
        }

        return values;
    }

    private static DateTimeOffset At(int seconds) => Base.AddSeconds(seconds).AddTicks(seconds % 7);
}
