using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using DeviceTwins.Analytics.Windows;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;

using DeviceTwins.Testing;

namespace DeviceTwins.ClusterTests;

/// <summary>Twins' analytics through Kafka: alerts and windows reach their topics once, and a quiet device's clock keeps running.</summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class AnalyticsPipelineTests(KafkaClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task InjectedAnomaly_RaisesExactlyOneAlert_AndItsEndClearsIt()
    {
        var device = "anomaly-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        double[] loads = [10, 12, 11, 95, 97, 96, 60, 40, 20];
        for (var i = 0; i < loads.Length; i++)
        {
            await fixture.ProduceAsync("iot.telemetry", device, Load(device, t0.AddSeconds(i), loads[i]));
        }

        var alerts = await fixture.ReadKeyedAsync(fixture.Kafka.AlertsTopic, device, r => r.Count >= 2);
        var documents = alerts.Select(Parse).ToList();
        Assert.Equal(2, documents.Count);
        Assert.Equal(["raised", "cleared"], documents.Select(d => d.GetProperty("state").GetString()));
        Assert.Equal(documents[0].GetProperty("id").GetString(), documents[1].GetProperty("id").GetString());

        var raised = documents[0];
        Assert.Equal(TestRules.Overload, raised.GetProperty("rule").GetString());
        Assert.Equal("threshold", raised.GetProperty("detector").GetString());
        Assert.Equal("load", raised.GetProperty("metric").GetString());
        Assert.Equal("critical", raised.GetProperty("severity").GetString());
        Assert.Equal(95, raised.GetProperty("value").GetDouble());
        Assert.Equal(t0.AddSeconds(3), raised.GetProperty("eventTime").GetDateTimeOffset());
        Assert.Equal(4, raised.GetProperty("window").GetProperty("count").GetInt64());
        Assert.Equal(95, raised.GetProperty("window").GetProperty("max").GetDouble());
        Assert.Equal(t0.AddSeconds(7), documents[1].GetProperty("clearedAt").GetDateTimeOffset());
        Assert.Equal(40, documents[1].GetProperty("value").GetDouble());
        Assert.Equal(documents[0].GetProperty("id").GetString() + ":raised", Encoding.UTF8.GetString(alerts[0].Message.Headers.GetLastBytes("dt.id")));

        // The twin and the fleet index agree with the topic.
        var twinAlerts = await fixture.Grains.GetGrain<IDeviceTwinGrain>(device).GetAlertsAsync(Caller.Platform);
        var only = Assert.Single(twinAlerts!);
        Assert.Equal(AlertStates.Cleared, only.State);
        var indexed = await fixture.Grains.GetGrain<IAlertIndexGrain>(AlertIndexShards.Of(device)).DeviceOfAsync(only.Id);
        Assert.Equal(device, indexed);
    }

    [Fact]
    public async Task QuietDeviceWhoseTwinWasDeactivated_WokenByTheWakeIndex_PublishesItsLastWindow()
    {
        var device = "shed-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 6; i++)
        {
            await fixture.ProduceAsync("iot.telemetry", device, Load(device, t0.AddSeconds(10 * i), 20 + i));
        }

        var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>(device);
        await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount == 6, Timeout, "six records applied");

        // The activation goes (as when memory pressure sheds it, or its silo dies) while its window is still open.
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var twins = GrainType.Create("devicetwin");
        await grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.Until(
            async () => (await management.GetActiveGrains(twins)).Select(g => g.Key.ToString()).ToList(),
            active => !active.Contains(device),
            Timeout,
            active => $"{device} deactivated; {active.Count} twins active");

        // Its timer went with it: only the wake index's sweep (every 5 s of the twins' clock, 10 s of grace) brings it
        // back, once the window's close (20 s on) is overdue.
        var windows = await Eventually.Until(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(5));
                return await fixture.ReadKeyedAsync(fixture.Kafka.AggregatesTopic, device, _ => true);
            },
            r => r.Count >= 1,
            Timeout,
            r => $"the window of the deactivated twin; {r.Count} so far");
        var window = Parse(Assert.Single(windows));
        Assert.Equal(t0, window.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(6, window.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task QuietDevice_GetsItsLastWindowAndAnOfflineAlert_WhenTheTwinClockMoves()
    {
        var device = "quiet-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero);
        // Six records ten seconds apart: the heartbeat has seen its five intervals, the window [11:00, 11:01) holds all six.
        for (var i = 0; i < 6; i++)
        {
            await fixture.ProduceAsync("iot.telemetry", device, Load(device, t0.AddSeconds(10 * i), 20 + i));
        }

        var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>(device);
        await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount == 6, Timeout, "six records applied");
        Assert.Empty(await fixture.ReadKeyedAsync(fixture.Kafka.AggregatesTopic, device, _ => true));

        // The device clock now stands at 11:00:50. The window closes at 11:01:10 (end + 10 s grace) plus this device's
        // own offset within the quiet-close spread: 20 s on and that offset.
        var delay = new TumblingWindows(TestRules.Analytics().Windows).QuietCloseDelayOf(device);
        fixture.Clock.Advance(TimeSpan.FromSeconds(20));
        if (delay > TimeSpan.Zero)
        {
            Assert.Empty(await fixture.ReadKeyedAsync(fixture.Kafka.AggregatesTopic, device, _ => true));
            fixture.Clock.Advance(delay);
        }

        var windows = await fixture.ReadKeyedAsync(fixture.Kafka.AggregatesTopic, device, r => r.Count >= 1);
        var window = Parse(Assert.Single(windows));
        Assert.Equal("load", window.GetProperty("metric").GetString());
        Assert.Equal(60, window.GetProperty("windowSeconds").GetInt64());
        Assert.Equal(t0, window.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(t0.AddMinutes(1), window.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(6, window.GetProperty("count").GetInt64());
        Assert.Equal(20, window.GetProperty("min").GetDouble());
        Assert.Equal(25, window.GetProperty("max").GetDouble());
        Assert.Equal(135, window.GetProperty("sum").GetDouble());
        Assert.Equal(22.5, window.GetProperty("mean").GetDouble());
        Assert.Equal(20, window.GetProperty("first").GetDouble());
        Assert.Equal(25, window.GetProperty("last").GetDouble());
        Assert.Equal(0, window.GetProperty("late").GetInt64());

        // Offline after more than 3 x the 10 s interval without a record: due just past 11:01:20.
        Assert.Empty(await fixture.ReadKeyedAsync(fixture.Kafka.AlertsTopic, device, _ => true));
        fixture.Clock.Advance(TimeSpan.FromSeconds(10) + TimeSpan.FromTicks(1) - delay);
        var offline = Parse(Assert.Single(await fixture.ReadKeyedAsync(fixture.Kafka.AlertsTopic, device, r => r.Count >= 1)));
        Assert.Equal("offline", offline.GetProperty("rule").GetString());
        Assert.Equal("heartbeat", offline.GetProperty("detector").GetString());
        Assert.Equal(JsonValueKind.Null, offline.GetProperty("metric").ValueKind);
        Assert.Equal("raised", offline.GetProperty("state").GetString());

        // The device comes back: the offline alert clears.
        await fixture.ProduceAsync("iot.telemetry", device, Load(device, t0.AddSeconds(90), 21));
        var changes = await fixture.ReadKeyedAsync(fixture.Kafka.AlertsTopic, device, r => r.Count >= 2);
        Assert.Equal(["raised", "cleared"], changes.Select(c => Parse(c).GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Rules_OfADevice_ShowTheDefaultsAndTheConfiguredThreshold()
    {
        var device = "rules-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.ProduceAsync("iot.telemetry", device, Load(device, new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero), 10));
        var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>(device);
        await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount == 1, Timeout, "one record applied");

        var rules = (await grain.GetRulesAsync(Caller.Platform))!;
        Assert.Equal(["anomaly", "offline", TestRules.Overload], rules.Select(r => r.Name));
        Assert.Equal(["load"], rules.Single(r => r.Name == TestRules.Overload).Watching);
        Assert.Equal(["load"], rules.Single(r => r.Name == "anomaly").Watching);
        Assert.Empty(rules.Single(r => r.Name == "offline").Watching);
        using var parameters = JsonDocument.Parse(rules.Single(r => r.Name == TestRules.Overload).ParametersJson);
        Assert.Equal(90, parameters.RootElement.GetProperty("raiseAbove").GetDouble());
    }

    [Fact]
    public async Task RuleSelectedByTag_AppliesOnceTheDeviceCarriesTheTag()
    {
        var device = "tagged-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = new DateTimeOffset(2026, 11, 27, 13, 0, 0, TimeSpan.Zero);
        var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>(device);
        await fixture.ProduceAsync("iot.telemetry", device, Vibration(device, t0, 9));
        await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount == 1, Timeout, "one record applied");
        Assert.DoesNotContain((await grain.GetRulesAsync(Caller.Platform))!, r => r.Name == TestRules.PlantAVibration);
        Assert.Empty((await grain.GetAlertsAsync(Caller.Platform))!);

        var tagged = await grain.SetTagsAsync(new Dictionary<string, string> { ["site"] = "plant-a" });
        Assert.Equal("plant-a", tagged!.Tags["site"]);
        Assert.Equal(2, tagged.Version);
        Assert.Equal(["vibration"], (await grain.GetRulesAsync(Caller.Platform))!.Single(r => r.Name == TestRules.PlantAVibration).Watching);

        await fixture.ProduceAsync("iot.telemetry", device, Vibration(device, t0.AddSeconds(1), 9));
        var alerts = await fixture.ReadKeyedAsync(fixture.Kafka.AlertsTopic, device, r => r.Count >= 1);
        var raised = Parse(Assert.Single(alerts));
        Assert.Equal(TestRules.PlantAVibration, raised.GetProperty("rule").GetString());
        Assert.Equal(t0.AddSeconds(1), raised.GetProperty("eventTime").GetDateTimeOffset());

        // Untagged again: the rule no longer applies, and its active alert is cleared.
        await grain.SetTagsAsync(new Dictionary<string, string>());
        var changes = await fixture.ReadKeyedAsync(fixture.Kafka.AlertsTopic, device, r => r.Count >= 2);
        Assert.Equal(["raised", "cleared"], changes.Select(c => Parse(c).GetProperty("state").GetString()));
        Assert.DoesNotContain((await grain.GetRulesAsync(Caller.Platform))!, r => r.Name == TestRules.PlantAVibration);
    }

    [Fact]
    public async Task SetTags_UnknownDevice_ReturnsNullAndCreatesNothing()
    {
        var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>("never-seen-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Null(await grain.SetTagsAsync(new Dictionary<string, string> { ["site"] = "plant-a" }));
        Assert.Null(await grain.GetSnapshotAsync());
    }

    private static string Vibration(string device, DateTimeOffset ts, double vibration) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"vibration":{{{vibration}}}}}""");

    private static string Load(string device, DateTimeOffset ts, double load) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"load":{{{load}}}}}""");

    private static JsonElement Parse(ConsumeResult<byte[]?, byte[]?> record)
    {
        using var document = JsonDocument.Parse(record.Message.Value);
        return document.RootElement.Clone();
    }
}
