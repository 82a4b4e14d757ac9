using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.UnitTests.Twin;

public sealed class TwinUpdaterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_NewerRecords_UpdateLatestValuesCountsAndVersion()
    {
        var state = new DeviceTwinState();

        Assert.True(Apply(state, Record(0, T0, ("temperature", 20))));
        Assert.True(Apply(state, Record(1, T0.AddSeconds(10), ("temperature", 21), ("pressure", 1.1))));

        Assert.Equal(2, state.MessageCount);
        Assert.Equal(2, state.Version);
        Assert.Equal(T0, state.FirstSeen);
        Assert.Equal(T0.AddSeconds(10), state.LastSeen);
        Assert.Equal(new MetricReading(21, T0.AddSeconds(10)), state.Metrics["temperature"]);
        Assert.Equal(new MetricReading(1.1, T0.AddSeconds(10)), state.Metrics["pressure"]);
    }

    [Fact]
    public void Apply_LateRecord_IsCountedButNeverOverwritesNewerValue()
    {
        var state = new DeviceTwinState();
        Apply(state, Record(0, T0.AddMinutes(5), ("temperature", 30)));

        Assert.True(Apply(state, Record(1, T0, ("temperature", 10), ("humidity", 40))));

        Assert.Equal(new MetricReading(30, T0.AddMinutes(5)), state.Metrics["temperature"]);
        Assert.Equal(new MetricReading(40, T0), state.Metrics["humidity"]);
        Assert.Equal(T0, state.FirstSeen);
        Assert.Equal(T0.AddMinutes(5), state.LastSeen);
        Assert.Equal(2, state.MessageCount);
    }

    [Fact]
    public void Apply_LateProperty_NeverOverwritesNewerProperty()
    {
        var state = new DeviceTwinState();
        Apply(state, Record(0, T0.AddMinutes(1)) with { Properties = [new PropertySample("firmware", "\"2.0\"")] });
        Apply(state, Record(1, T0) with { Properties = [new PropertySample("firmware", "\"1.0\"")] });

        Assert.Equal(new PropertyReading("\"2.0\"", T0.AddMinutes(1)), state.Props!["firmware"]);
    }

    [Fact]
    public void Apply_ReplayedOffset_IsSkippedWithoutChange()
    {
        var state = new DeviceTwinState();
        Apply(state, Record(5, T0, ("t", 1)));
        Apply(state, Record(6, T0.AddSeconds(1), ("t", 2)));

        Assert.False(Apply(state, Record(5, T0.AddSeconds(2), ("t", 99))));
        Assert.False(Apply(state, Record(6, T0.AddSeconds(2), ("t", 99))));

        Assert.Equal(2, state.MessageCount);
        Assert.Equal(2, state.Version);
        Assert.Equal(2, state.Metrics["t"].Value);
    }

    [Fact]
    public void Apply_SameOffsetOnAnotherPartition_IsApplied()
    {
        var state = new DeviceTwinState();
        Apply(state, Record(5, T0, ("t", 1)));

        Assert.True(Apply(state, Record(5, T0.AddSeconds(1), ("t", 2)) with { Topic = "iot.sensor.eu-west.temperature" }));
        Assert.Equal(2, state.MessageCount);
        Assert.Equal(2, state.AppliedOffsets.Count);
    }

    [Fact]
    public void Snapshot_IsACopyThatLaterUpdatesDoNotChange()
    {
        var state = new DeviceTwinState();
        Apply(state, Record(0, T0, ("t", 1)));
        var snapshot = TwinUpdater.Snapshot("d1", state);

        Apply(state, Record(1, T0.AddSeconds(1), ("t", 2)));

        Assert.Equal(1, snapshot.Version);
        Assert.Equal(1, snapshot.Metrics["t"].Value);
    }

    private static bool Apply(DeviceTwinState state, TelemetryEvent telemetry) => TwinUpdater.Apply(state, telemetry, T0.AddHours(1));

    private static TelemetryEvent Record(long offset, DateTimeOffset ts, params (string Name, double Value)[] metrics) =>
        new("d1", ts, [.. metrics.Select(m => new MetricSample(m.Name, m.Value))], [], "iot.telemetry", 0, offset);
}
