using DeviceTwins.Analytics;
using DeviceTwins.DetectionBench;
using DeviceTwins.DetectionBench.Series;

namespace DeviceTwins.NabTests.Generated;

public sealed class GeneratedSeriesTests
{
    [Theory]
    [InlineData(StationaryKind.Gaussian, 20, 0.3)]
    [InlineData(StationaryKind.Uniform, 20, 0.2887)]
    [InlineData(StationaryKind.Ar1, 20, 0.3)]
    [InlineData(StationaryKind.Quantized, 20, 0.31)]
    public void Generate_StationaryKind_HasItsLevelAndSpread(StationaryKind kind, double mean, double std)
    {
        var series = StationaryGenerator.Generate(kind, 7, 100_000);

        var average = series.Values.Average();
        Assert.Equal(mean, average, 1);
        var spread = Math.Sqrt(series.Values.Select(v => (v - average) * (v - average)).Average());
        Assert.InRange(spread, std * 0.9, std * 1.1);
    }

    [Fact]
    public void Generate_SameSeed_SameValues_OtherSeed_OtherValues()
    {
        var a = StationaryGenerator.Generate(StationaryKind.StudentT3, 3, 1_000);
        var b = StationaryGenerator.Generate(StationaryKind.StudentT3, 3, 1_000);
        var c = StationaryGenerator.Generate(StationaryKind.StudentT3, 4, 1_000);

        Assert.Equal(a.Values, b.Values);
        Assert.NotEqual(a.Values, c.Values);
    }

    [Fact]
    public void Generate_QuantizedAndConstantSteps_StayOnTheirGrid()
    {
        Assert.All(StationaryGenerator.Generate(StationaryKind.Quantized, 1, 10_000).Values, v => Assert.Equal(0, (v * 4) % 1, 9));
        var steps = StationaryGenerator.Generate(StationaryKind.ConstantSteps, 1, 100_000).Values;
        Assert.All(steps, v => Assert.InRange(v, 19, 21));
        Assert.InRange(steps.Zip(steps.Skip(1)).Count(p => p.First != p.Second), 50, 150);
    }

    [Fact]
    public void Inject_Stuck_FreezesTheLastReadingFor600Records()
    {
        var injected = AnomalyInjector.Inject(AnomalyKind.Stuck, 5);
        var values = injected.Series.Values;

        Assert.InRange(injected.Onset, 10_000, 14_999);
        Assert.All(values.Skip(injected.Onset).Take(600), v => Assert.Equal(values[injected.Onset - 1], v));
        Assert.NotEqual(values[injected.Onset - 1], values[injected.Onset + 600]);
    }

    [Fact]
    public void Inject_DailyShape_FlattensOneWholeDayInsideTheUsualRange()
    {
        var injected = AnomalyInjector.Inject(AnomalyKind.DailyShape, 2);
        var day = injected.Series.Values.Skip(injected.Onset).Take(1440).ToArray();

        Assert.Equal(0, injected.Onset % 1440);
        Assert.Equal(TimeSpan.FromMinutes(1), injected.Series.Interval);
        Assert.InRange(day.Max() - day.Min(), 0, 3);
        Assert.InRange(day.Min(), 15, 25);
    }

    [Fact]
    public void Replay_SpikeInGaussianNoise_RaisesAtTheSpike()
    {
        var injected = AnomalyInjector.Inject(AnomalyKind.Spike, 1);

        var raises = new EngineReplay(new AnalyticsOptions()).Raises(injected.Series);

        Assert.Contains(injected.Onset, raises.Select(r => r.Index));
        Assert.StartsWith("value 17.6 broke out of the range [", raises.Single(r => r.Index == injected.Onset).Reason);
    }

    [Fact]
    public void DetectionRow_Percentiles_AreNearestRank()
    {
        var row = new DetectionRow("k", 10, 5, [4, 1, 3, 5, 2], TimeSpan.FromSeconds(2), 3, 300_000, 1000, 15);

        Assert.Equal((0.5, 3.0, 5.0, 1.0), (row.Fraction, row.MedianDelay!.Value, row.P90Delay!.Value, row.FalsePer100k));
        Assert.Equal(1 - Math.Exp(-0.01), row.Chance, 12);
        Assert.Equal(1.5, row.RaisesPerEpisode);
    }
}
