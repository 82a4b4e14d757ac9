using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;
using DeviceTwins.Silo.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceTwins.UnitTests.Twin;

/// <summary>A twin read back from storage holds the process's shared names and no empty containers, as a fresh one does.</summary>
public sealed class TwinNamesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReadBack_ThenShared_HoldsTheSharedNames_AndTheTagsAsStored()
    {
        var site = string.Concat("plant-", Guid.NewGuid().ToString("N"));
        var original = Twin(props: true);
        original.Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["site"] = site };

        var copy = ReadBack(original);

        // Orleans' serializer makes strings of its own; the analytics state's names are shared as they are read.
        Assert.All(copy.Metrics.Keys, key => Assert.NotSame(NameTable.Shared(key), key));
        Assert.All(copy.Analytics.Detectors.Keys.Concat(copy.Analytics.Detectors.Values.SelectMany(m => m.Keys)), key => Assert.Same(NameTable.Shared(key), key));
        Assert.All(copy.Analytics.OpenWindows, window => Assert.Same(NameTable.Shared(window.Metric), window.Metric));

        TwinNames.Share(copy);

        Assert.Equal(original.Metrics, copy.Metrics);
        Assert.Equal(original.AppliedOffsets, copy.AppliedOffsets);
        Assert.Equal(original.Props, copy.Props);
        Assert.Equal(original.Tags, copy.Tags);
        Assert.All(copy.Metrics.Keys.Concat(copy.AppliedOffsets.Select(o => o.Key)).Concat(copy.Props!.Keys).Concat(copy.Tags.Keys), key => Assert.Same(NameTable.Shared(key), key));
        Assert.Same(TwinUpdater.SourceKey("iot.telemetry", 3), copy.AppliedOffsets.Single().Key);

        // A tag value is shared only if the table has it already: values such as serial numbers must not fill it.
        Assert.Equal(site, copy.Tags["site"]);
        Assert.Equal(site, NameTable.Known(site));
    }

    [Fact]
    public void ReadBack_ThenShared_HoldsNoEmptyDictionaryOrList()
    {
        var copy = ReadBack(Twin(props: false));

        TwinNames.Share(copy);

        Assert.Null(copy.Props);
        Assert.Same(DeviceTwinState.NoTags, copy.Tags);
        Assert.Same(TwinSnapshot.EmptyDocument, copy.Documents.Reported);
        Assert.Same(TwinSnapshot.EmptyDocument, copy.Documents.Desired);
        Assert.Null(copy.Documents.ReportedMetadata);
        Assert.Null(copy.Documents.DesiredMetadata);
        Assert.Null(copy.Documents.PendingDesired);
        Assert.All(copy.Analytics.Detectors.Values.SelectMany(m => m.Values).OfType<ZScoreState>(), z =>
        {
            Assert.Same(Array.Empty<double>(), z.Window);
            Assert.Same(Array.Empty<double>(), z.Sorted);
            Assert.Same(Array.Empty<float>(), z.Profile);
        });
    }

    [Fact]
    public void Share_KeepsDictionariesWhoseKeysAreSharedAlready()
    {
        var state = Twin(props: true);
        var metrics = state.Metrics;
        var offsets = state.AppliedOffsets;
        var props = state.Props;

        TwinNames.Share(state);

        Assert.Same(metrics, state.Metrics);
        Assert.Same(offsets, state.AppliedOffsets);
        Assert.Same(props, state.Props);
    }

    [Fact]
    public void SourceKey_IsOneInstancePerPartition_WhateverTheTopicStringsInstance()
    {
        var first = TwinUpdater.SourceKey(new string("iot.telemetry".AsSpan()), 7);
        var second = TwinUpdater.SourceKey(new string("iot.telemetry".AsSpan()), 7);

        Assert.Equal("iot.telemetry:7", first);
        Assert.Same(first, second);
        Assert.NotSame(first, TwinUpdater.SourceKey("iot.telemetry", 8));
    }

    [Fact]
    public void Tags_SetEmpty_HoldsTheOneEmptyInstance_AndASetDictionaryIsKeptAsGiven()
    {
        var state = new DeviceTwinState();
        Assert.Same(DeviceTwinState.NoTags, state.Tags);

        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["site"] = "plant-a" };
        state.Tags = tags;
        Assert.Same(tags, state.Tags);

        state.Tags = new Dictionary<string, string>();
        Assert.Same(DeviceTwinState.NoTags, state.Tags);
    }

    private static DeviceTwinState Twin(bool props)
    {
        var engine = new DeviceAnalytics(new AnalyticsOptions
        {
            Rules = [new RuleOptions { Name = "anomaly", Kind = DetectorKind.ZScore, Metrics = ["temperature", "pressure"], ZScore = new ZScoreOptions { Method = ZScoreMethod.Ewma } }],
        });
        var rules = engine.RulesFor("pump-1", DeviceTwinState.NoTags);
        var state = new DeviceTwinState();
        for (var i = 0; i < 30; i++)
        {
            var at = T0.AddSeconds(10 * i);
            MetricSample[] metrics = [new(NameTable.Shared("temperature"), 20 + (i % 3)), new(NameTable.Shared("pressure"), 1.0)];
            PropertySample[] properties = props ? [new(NameTable.Shared("firmware"), "\"1.4.2\"")] : [];
            var telemetry = new TelemetryEvent("pump-1", at, metrics, properties, "iot.telemetry", 3, i);
            Assert.True(TwinUpdater.Apply(state, telemetry, at));
            engine.Observe(state.Analytics, "pump-1", rules, at, [.. metrics.Select(m => new KeyValuePair<string, double>(m.Name, m.Value))], at);
        }

        return state;
    }

    private static DeviceTwinState ReadBack(DeviceTwinState state)
    {
        using var provider = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var storage = new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>());
        return storage.Deserialize<DeviceTwinState>(storage.Serialize(state))!;
    }
}
