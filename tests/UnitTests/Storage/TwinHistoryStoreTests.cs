using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Windows;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Silo.Storage;

namespace DeviceTwins.UnitTests.Storage;

public sealed class TwinHistoryStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly TwinHistoryLimits Limits = new(Windows: 3, Alerts: 2);

    [Fact]
    public void EncodeWindow_RoundTripsEveryFieldExactly()
    {
        var window = Window("température", 0) with { Min = -0.1, Max = double.MaxValue, Sum = 1e-300, Mean = 0.30000000000000004, StdDev = 2.5, First = -7, Last = 8, Late = 3, Count = long.MaxValue };

        var bytes = TwinHistoryCodec.EncodeWindow(window);

        Assert.Equal(window, TwinHistoryCodec.DecodeWindow("pump-17", bytes));
        Assert.Equal(99 + "température".Length + 1, bytes.Length);
    }

    [Fact]
    public void DecodeWindow_TruncatedBytes_FormatException()
    {
        var bytes = TwinHistoryCodec.EncodeWindow(Window("temperature", 0));

        var error = Assert.Throws<FormatException>(() => TwinHistoryCodec.DecodeWindow("pump-17", bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Contains("pump-17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeAlert_RoundTripsTheClearedAlert()
    {
        var alert = Cleared("a-1", 10);

        Assert.Equal(alert, TwinHistoryCodec.DecodeAlert(TwinHistoryCodec.EncodeAlert(alert)));
    }

    [Fact]
    public async Task InProcess_AppendBeyondTheLimits_KeepsTheLatestOldestFirst()
    {
        var store = new InProcessTwinHistoryStore();

        await store.AppendAsync("pump-17", [Window("temperature", 0), Window("temperature", 1)], [Cleared("a-1", 1)], Limits);
        await store.AppendAsync("pump-17", [Window("temperature", 2), Window("temperature", 3)], [Cleared("a-2", 2), Cleared("a-3", 3)], Limits);

        var history = await store.ReadAsync("pump-17");
        Assert.Equal([Window("temperature", 1), Window("temperature", 2), Window("temperature", 3)], history.Windows);
        Assert.Equal([Cleared("a-2", 2), Cleared("a-3", 3)], history.Alerts);
        Assert.Same(TwinHistory.Empty, await store.ReadAsync("pump-18"));
    }

    [Fact]
    public async Task InProcess_SameOutputsAppendedTwice_ReadOnce()
    {
        var store = new InProcessTwinHistoryStore();
        var limits = new TwinHistoryLimits(10, 10);

        // A crash between the publication and the outbox's write publishes (and appends) the same outputs again.
        await store.AppendAsync("pump-17", [Window("temperature", 0), Window("humidity", 0)], [Cleared("a-1", 1)], limits);
        await store.AppendAsync("pump-17", [Window("temperature", 0), Window("humidity", 0)], [Cleared("a-1", 1)], limits);

        var history = await store.ReadAsync("pump-17");
        Assert.Equal([Window("temperature", 0), Window("humidity", 0)], history.Windows);
        Assert.Equal([Cleared("a-1", 1)], history.Alerts);
    }

    [Fact]
    public void Decode_LimitsBelowTheStoredItems_TheLatest()
    {
        var windows = Enumerable.Range(0, 5).Select(i => TwinHistoryCodec.EncodeWindow(Window("temperature", i)));

        var history = TwinHistoryCodec.Decode("pump-17", windows, [], new TwinHistoryLimits(2, 2));

        Assert.Equal([Window("temperature", 3), Window("temperature", 4)], history.Windows);
        Assert.Empty(history.Alerts);
    }

    private static WindowAggregate Window(string metric, int minute) => new()
    {
        DeviceId = "pump-17",
        Metric = metric,
        Size = TimeSpan.FromMinutes(1),
        Start = T0.AddMinutes(minute),
        End = T0.AddMinutes(minute + 1),
        Count = 6,
        Min = 20,
        Max = 21.5,
        Sum = 124.5,
        Mean = 20.75,
        StdDev = 0.5,
        First = 20,
        Last = 21.5,
        Late = 0,
    };

    private static Alert Cleared(string id, int minute) => new()
    {
        Id = id,
        DeviceId = "pump-17",
        Rule = "overheat",
        Detector = "threshold",
        Metric = "temperature",
        Severity = AlertSeverity.Critical,
        Status = AlertStatus.Cleared,
        Value = 65.5,
        EventTime = T0.AddMinutes(minute).AddSeconds(30),
        RaisedAt = T0.AddMinutes(minute),
        ClearedAt = T0.AddMinutes(minute).AddSeconds(30),
        Window = new AlertWindow { Start = T0.AddMinutes(minute), End = T0.AddMinutes(minute + 1), Count = 4, Min = 60, Max = 90, Mean = 70, StdDev = 10 },
        Reason = "temperature 65.5 back below 70",
    };
}
