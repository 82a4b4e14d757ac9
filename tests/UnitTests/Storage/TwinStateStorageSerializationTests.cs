using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Grains.Twin;
using DeviceTwins.Silo.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Orleans.Storage;

namespace DeviceTwins.UnitTests.Storage;

/// <summary>Twin state goes to Redis through Orleans' serializer, analytics (plain C#, polymorphic detector states) included.</summary>
public sealed class TwinStateStorageSerializationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TwinStateWithAnalytics_RoundTripsThroughTheStorageSerializer_AndContinuesIdentically()
    {
        using var provider = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var storage = new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>());
        var engine = new DeviceAnalytics(new AnalyticsOptions
        {
            Rules =
            [
                new RuleOptions { Name = "overload", Kind = DetectorKind.Threshold, Metrics = ["load"], Severity = AlertSeverity.Critical, Threshold = new ThresholdOptions { RaiseAbove = 90, ClearBelow = 50 } },
                new RuleOptions { Name = "stuck", Kind = DetectorKind.Flatline, Metrics = ["load"], Flatline = new FlatlineOptions { MinRecords = 5 } },
                new RuleOptions { Name = "jump", Kind = DetectorKind.RateOfChange, Metrics = ["load"], RateOfChange = new RateOfChangeOptions { MaxPerSecond = 100 } },
            ],
        });
        var rules = engine.RulesFor("pump-1", new Dictionary<string, string>());
        var original = new DeviceTwinState { MessageCount = 40, Version = 40 };
        for (var i = 0; i < 40; i++)
        {
            engine.Observe(original.Analytics, "pump-1", rules, T0.AddSeconds(i), [new("load", i == 35 ? 95 : 20 + (i % 3))], T0.AddSeconds(i));
        }

        Assert.NotEmpty(original.Analytics.PendingAlerts);
        var copy = storage.Deserialize<DeviceTwinState>(storage.Serialize(original))!;

        Assert.Equal(original.Analytics.Detectors["load"].Keys, copy.Analytics.Detectors["load"].Keys);
        Assert.Equal(original.Analytics.Detectors["load"].Values.Select(d => d.GetType()), copy.Analytics.Detectors["load"].Values.Select(d => d.GetType()));
        Assert.Equal(original.Analytics.PendingAlerts, copy.Analytics.PendingAlerts);
        Assert.Equal(original.Analytics.OpenWindows.Count, copy.Analytics.OpenWindows.Count);

        // Both go on identically: the same alert changes with the same ids.
        for (var i = 40; i < 60; i++)
        {
            var load = i is >= 45 and < 48 ? 99 : 20.0;
            engine.Observe(original.Analytics, "pump-1", rules, T0.AddSeconds(i), [new("load", load)], T0.AddSeconds(i));
            engine.Observe(copy.Analytics, "pump-1", rules, T0.AddSeconds(i), [new("load", load)], T0.AddSeconds(i));
        }

        Assert.Equal(original.Analytics.PendingAlerts, copy.Analytics.PendingAlerts);
        Assert.Equal(original.Analytics.PendingWindows, copy.Analytics.PendingWindows);
    }

    [Fact]
    public void AnalyticsStoredAsJson_BeforeTheBinaryCodec_IsReadExactly_AndWrittenBackBinary()
    {
        using var provider = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var storage = new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>());
        using var fixture = typeof(TwinStateStorageSerializationTests).Assembly.GetManifestResourceStream("twin-state-json-analytics.bin")!;
        var legacy = BinaryData.FromStream(fixture);
        var expected = AnalyticsStateSamples.Busy(AnalyticsStateSamples.Engine());

        // The fixture is the same state, written by the storage serializer of the version that stored analytics as JSON.
        var stored = storage.Deserialize<DeviceTwinState>(legacy)!;

        Assert.Equal(3000, stored.Version);
        Assert.Equal(AnalyticsStateSamples.Json(expected), AnalyticsStateSamples.Json(stored.Analytics));

        var rewritten = storage.Serialize(stored);
        Assert.True(legacy.ToMemory().Span.IndexOf("\"OpenWindows\""u8) >= 0);
        Assert.Equal(-1, rewritten.ToMemory().Span.IndexOf("\"OpenWindows\""u8));
        Assert.True(rewritten.ToMemory().Length < legacy.ToMemory().Length / 3, $"{rewritten.ToMemory().Length} bytes binary, {legacy.ToMemory().Length} as JSON");
        Assert.Equal(AnalyticsStateSamples.Json(expected), AnalyticsStateSamples.Json(storage.Deserialize<DeviceTwinState>(rewritten)!.Analytics));
    }

    [Fact]
    public void TwinState_DeepCopy_CopiesTheAnalyticsState()
    {
        using var provider = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var state = new DeviceTwinState { Version = 3, Analytics = AnalyticsStateSamples.Busy(AnalyticsStateSamples.Engine(), 300) };

        var copy = provider.GetRequiredService<DeepCopier<DeviceTwinState>>().Copy(state);

        Assert.NotSame(state.Analytics, copy.Analytics);
        Assert.Equal(AnalyticsStateSamples.Json(state.Analytics), AnalyticsStateSamples.Json(copy.Analytics));
    }
}
