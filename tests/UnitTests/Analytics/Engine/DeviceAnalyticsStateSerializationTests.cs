using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using static DeviceTwins.UnitTests.Analytics.Engine.EngineScenario;

namespace DeviceTwins.UnitTests.Analytics.Engine;

public sealed class DeviceAnalyticsStateSerializationTests
{
    // Processing time (seconds) at which the state is persisted and reloaded: a flapping alert is held, a flatline is active.
    private const double Split = 455;

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly DeviceAnalytics engine = new(new AnalyticsOptions
    {
        Windows = { Sizes = [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)], Grace = TimeSpan.FromSeconds(10), Retained = 20 },
        Alerts = { FlapRaises = 3, FlapWindow = TimeSpan.FromMinutes(10), Retained = 5 },
        UseDefaultRules = false,
        Rules =
        [
            new RuleOptions { Name = "anomaly", Kind = DetectorKind.ZScore, ZScore = new ZScoreOptions { Window = 20, WarmUp = 5, RaiseZ = 3, ClearZ = 1 } },
            Overheat(),
            new RuleOptions { Name = "stuck", Kind = DetectorKind.Flatline, Metrics = ["humidity"], Flatline = new FlatlineOptions { MinRecords = 4 } },
            new RuleOptions { Name = "jump", Kind = DetectorKind.RateOfChange, Metrics = ["temperature"], RateOfChange = new RateOfChangeOptions { MaxPerSecond = 5, ClearPerSecond = 2 } },
            Offline(),
        ],
    });

    private readonly DeviceRules rules;

    public DeviceAnalyticsStateSerializationTests()
    {
        rules = engine.RulesFor(Device, NoTags);
    }

    [Fact]
    public void RoundTrip_SystemTextJson_ContinuesIdentically()
    {
        var state = new DeviceAnalyticsState();
        Play(state, before: true);
        AssertRich(state);

        var json = JsonSerializer.Serialize(state, Json);
        var copy = JsonSerializer.Deserialize<DeviceAnalyticsState>(json, Json)!;

        Assert.Equal(json, JsonSerializer.Serialize(copy, Json));
        AssertContinuesIdentically(state, copy);
    }

    [Fact]
    public void RoundTrip_OrleansNewtonsoftGrainStorageSerializer_ContinuesIdentically()
    {
        // The serializer Orleans' Redis grain storage uses by default: Newtonsoft.Json with TypeNameHandling.All.
        var serializer = new JsonGrainStorageSerializer(new OrleansJsonSerializer(Options.Create(new OrleansJsonSerializerOptions())));
        var state = new DeviceAnalyticsState();
        Play(state, before: true);
        AssertRich(state);

        var data = serializer.Serialize(state);
        var copy = Assert.IsType<DeviceAnalyticsState>(serializer.Deserialize<DeviceAnalyticsState>(data));

        Assert.Contains("\"$type\"", data.ToString(), StringComparison.Ordinal);
        Assert.Equal(data.ToString(), serializer.Serialize(copy).ToString());
        Assert.Equal(JsonSerializer.Serialize(state, Json), JsonSerializer.Serialize(copy, Json));
        AssertContinuesIdentically(state, copy);
    }

    private void AssertContinuesIdentically(DeviceAnalyticsState state, DeviceAnalyticsState copy)
    {
        var published = state.PendingAlerts.Count;
        Assert.Equal(engine.NextDue(state, rules), engine.NextDue(copy, rules));

        Play(state, before: false);
        Play(copy, before: false);

        Assert.Equal(state.PendingAlerts, copy.PendingAlerts);
        Assert.Equal(state.PendingWindows, copy.PendingWindows);
        Assert.Equal(DeviceAnalytics.AlertsOf(state, state.PendingAlerts.Where(a => a.Status == AlertStatus.Cleared)), DeviceAnalytics.AlertsOf(copy, copy.PendingAlerts.Where(a => a.Status == AlertStatus.Cleared)));
        Assert.Equal(JsonSerializer.Serialize(state, Json), JsonSerializer.Serialize(copy, Json));
        Assert.Equal(engine.NextDue(state, rules), engine.NextDue(copy, rules));

        // The continuation exercised every alert path: a flat run ending, the heartbeat, a flapping hold released.
        Assert.Equal(
            [
                "stuck Cleared 00:08:00", "jump Raised 00:08:30", "jump Cleared 00:08:40", "jump Raised 00:08:50", "jump Cleared 00:09:00",
                "offline Raised 00:12:14", "offline Cleared 00:12:10", "overheat Cleared 00:18:50",
            ],
            state.PendingAlerts.Skip(published).Where(NotZScore).Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Rule} {a.Status} {a.EventTime:HH:mm:ss}")));
        Assert.All(state.PendingAlerts, a => Assert.True(a.ClearedAt is null || a.ClearedAt >= a.RaisedAt));
    }

    // Records every 10 s of event time with a spike, a flapping limit, a flat run, out-of-order and late records, and a silence.
    private void Play(DeviceAnalyticsState state, bool before)
    {
        for (var i = 0; i < 120; i++)
        {
            var t = i * 10.0;
            if ((t + 1 < Split) != before)
            {
                continue;
            }

            if (i is >= 70 and < 80)
            {
                engine.Tick(state, Device, rules, Processing(t + 5));
                continue;
            }

            double temperature = i switch
            {
                30 or 34 or 38 => 95,
                >= 50 and < 53 => 250,
                _ => 60 + (i % 7),
            };
            var humidity = i is >= 40 and < 48 ? 40 : 41 + (i % 5 * 0.5);
            var eventTime = i % 20 == 0 && i > 0 ? t - 70 : i % 17 == 16 ? t - 25 : t;
            engine.Observe(state, Device, rules, At(eventTime), [new("temperature", temperature), new("humidity", humidity)], Processing(t + 1));
            if (i % 9 == 0)
            {
                engine.Tick(state, Device, rules, Processing(t + 8));
            }
        }
    }

    // The ZScore rule enriches the state under test; its own alerts are pinned by the detector's tests, not here.
    private static bool NotZScore(Alert alert) => alert.Detector != "zscore";

    private static void AssertRich(DeviceAnalyticsState state)
    {
        Assert.Equal(At(390), state.Alerts["temperature"]["overheat"].HeldSince);
        Assert.Equal((AlertStatus.Raised, At(440)), (state.Alerts["humidity"]["stuck"].Current!.Status, state.Alerts["humidity"]["stuck"].Current!.RaisedAt));
        Assert.Equal(
            ["temperature/anomaly/ZScoreState", "temperature/overheat/ThresholdState", "temperature/jump/RateOfChangeState", "humidity/anomaly/ZScoreState", "humidity/stuck/FlatlineState"],
            state.Detectors.SelectMany(m => m.Value.Select(r => $"{m.Key}/{r.Key}/{r.Value.GetType().Name}")));
        Assert.Equal(
            ["overheat Raised", "overheat Cleared", "overheat Raised", "overheat Cleared", "overheat Raised", "stuck Raised"],
            state.PendingAlerts.Where(NotZScore).Select(a => $"{a.Rule} {a.Status}"));
        Assert.Equal(
            (41, 4, 16, 2L, 4L),
            (state.Heartbeats["offline"].Intervals, state.OpenWindows.Count, state.PendingWindows.Count, state.LateRecords, state.OutOfOrderRecords));
    }
}
