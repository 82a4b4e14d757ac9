using System.Buffers;
using System.Text.Json;
using DeviceTwins.Simulator;

namespace DeviceTwins.UnitTests.Simulator;

public sealed class AnomalyInjectorTests
{
    private static readonly TimeSpan S = TimeSpan.FromSeconds(1);

    [Fact]
    public void Spike_AddsItsMagnitudeOnlyInsideItsPeriod()
    {
        var injector = Injector(new AnomalyOptions { Kind = AnomalyKind.Spike, Devices = ["d1"], Metric = "temperature", Start = 10 * S, Duration = 5 * S, Magnitude = 25 });
        Assert.Equal(20, injector.Apply("temperature", 20, 9 * S));
        Assert.Equal(45, injector.Apply("temperature", 20, 10 * S));
        Assert.Equal(45, injector.Apply("temperature", 20, 14 * S));
        Assert.Equal(20, injector.Apply("temperature", 20, 15 * S));
        Assert.Equal(20, injector.Apply("pressure", 20, 12 * S));
    }

    [Fact]
    public void Drift_GrowsByItsMagnitudePerMinute()
    {
        var injector = Injector(new AnomalyOptions { Kind = AnomalyKind.Drift, Devices = ["d1"], Metric = "temperature", Start = 60 * S, Duration = 240 * S, Magnitude = 12 });
        Assert.Equal(20, injector.Apply("temperature", 20, 60 * S));
        Assert.Equal(26, injector.Apply("temperature", 20, 90 * S));
        Assert.Equal(56, injector.Apply("temperature", 20, 240 * S));
        Assert.Equal(20, injector.Apply("temperature", 20, 300 * S));
    }

    [Fact]
    public void Stuck_RepeatsTheValueAtItsStart_ThenFollowsTheWalkAgain()
    {
        var injector = Injector(new AnomalyOptions { Kind = AnomalyKind.Stuck, Devices = ["d1"], Metric = "pressure", Start = 10 * S, Duration = 10 * S });
        Assert.Equal(1.01, injector.Apply("pressure", 1.01, 9 * S));
        Assert.Equal(1.02, injector.Apply("pressure", 1.02, 10 * S));
        Assert.Equal(1.02, injector.Apply("pressure", 1.07, 15 * S));
        Assert.Equal(1.03, injector.Apply("pressure", 1.03, 20 * S));
    }

    [Fact]
    public void Dropout_SilencesOnlyItsDevicesForItsPeriod()
    {
        var anomalies = new[] { new AnomalyOptions { Kind = AnomalyKind.Dropout, Devices = ["d1"], Start = 10 * S, Duration = 10 * S } };
        var model = new DeviceModel("d1", new Random(1), anomalies);
        var other = new DeviceModel("d2", new Random(1), anomalies);
        var buffer = new ArrayBufferWriter<byte>();
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        Assert.True(model.WriteNext(at, buffer, 9 * S));
        buffer.ResetWrittenCount();
        Assert.False(model.WriteNext(at, buffer, 10 * S));
        Assert.Equal(0, buffer.WrittenCount);
        Assert.True(other.WriteNext(at, buffer, 10 * S));
        Assert.True(model.WriteNext(at, buffer, 20 * S));
    }

    [Fact]
    public void LevelShift_ShowsInTheRecordTheDeviceWrites()
    {
        var anomalies = new[] { new AnomalyOptions { Kind = AnomalyKind.LevelShift, Devices = ["d1"], Metric = "humidity", Start = TimeSpan.Zero, Duration = 60 * S, Magnitude = 30 } };
        var shifted = Humidity(new DeviceModel("d1", new Random(5), anomalies), 1 * S);
        var plain = Humidity(new DeviceModel("d1", new Random(5)), 1 * S);
        Assert.Equal(plain + 30, shifted, 6);
    }

    private static double Humidity(DeviceModel model, TimeSpan elapsed)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(model.WriteNext(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), buffer, elapsed));
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.GetProperty("metrics").GetProperty("humidity").GetDouble();
    }

    private static AnomalyInjector Injector(AnomalyOptions anomaly) => new("d1", [anomaly]);
}
