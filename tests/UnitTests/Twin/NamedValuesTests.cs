using System.Reflection;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;
using DeviceTwins.Silo.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceTwins.UnitTests.Twin;

/// <summary>A twin's values by name (offsets, readings): set and read, stored and read back, carried over from the earlier stored form.</summary>
public sealed class NamedValuesTests
{
    [Fact]
    public void Set_NewAndKnownSources_KeepsTheLatestOfEach()
    {
        var offsets = new NamedValues<long>();
        Assert.False(offsets.TryGetValue("iot.telemetry:3", out _));

        offsets.Set("iot.telemetry:3", 10);
        offsets.Set("iot.commands:0", 4);
        offsets.Set("iot.telemetry:3", 12);

        Assert.Equal(2, offsets.Count);
        Assert.True(offsets.TryGetValue("iot.telemetry:3", out var telemetry));
        Assert.True(offsets.TryGetValue("iot.commands:0", out var commands));
        Assert.Equal((12L, 4L), (telemetry, commands));
        Assert.Equal(["iot.telemetry:3", "iot.commands:0"], offsets.Select(o => o.Key));
    }

    [Fact]
    public void ManyNames_PastTheIndexedCount_AreFoundAndSetAsFew()
    {
        var values = new NamedValues<long>();
        for (var i = 0; i < 100; i++)
        {
            values.Set($"m{i}", i);
        }

        values.Set("m7", 700);
        values.Set("m99", 9900);
        values.ShareKeys(key => new string(key.AsSpan()));

        Assert.Equal(100, values.Count);
        Assert.Equal([700L, 9900L, 50L], [values["m7"], values["m99"], values["m50"]]);
        Assert.False(values.ContainsKey("m100"));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), values.Keys);
    }

    [Fact]
    public void TwinState_StoredAndReadBack_KeepsItsOffsets()
    {
        var state = new DeviceTwinState();
        state.AppliedOffsets.Set("iot.telemetry:3", 41);

        var copy = ReadBack(state);

        Assert.True(copy.AppliedOffsets.TryGetValue("iot.telemetry:3", out var offset));
        Assert.Equal(41, offset);
    }

    [Fact]
    public void TwinState_StoredWithOffsetsAsADictionary_ReadsThemBack_SoNoRecordAppliesTwice()
    {
        // What twins stored before NamedValues<long>: the dictionary at the same field id, no NamedValues<long> field.
        var stored = new DeviceTwinState { Version = 7 };
        typeof(DeviceTwinState).GetField("_storedOffsets", BindingFlags.Instance | BindingFlags.NonPublic)!
            .SetValue(stored, new Dictionary<string, long> { ["iot.telemetry:3"] = 41, ["iot.commands:0"] = 2 });

        var copy = ReadBack(stored);

        Assert.Equal(2, copy.AppliedOffsets.Count);
        Assert.True(TwinUpdater.Apply(copy, new Grains.Interfaces.Models.TelemetryEvent("pump-1", DateTimeOffset.UnixEpoch, [], [], "iot.telemetry", 3, 42), DateTimeOffset.UnixEpoch));
        Assert.False(TwinUpdater.Apply(copy, new Grains.Interfaces.Models.TelemetryEvent("pump-1", DateTimeOffset.UnixEpoch, [], [], "iot.telemetry", 3, 41), DateTimeOffset.UnixEpoch));

        // Written again, it keeps them in the new form only.
        var again = ReadBack(copy);
        Assert.Null(typeof(DeviceTwinState).GetField("_storedOffsets", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(again));
        Assert.True(again.AppliedOffsets.TryGetValue("iot.telemetry:3", out var offset));
        Assert.Equal(42, offset);
    }

    [Fact]
    public void TwinState_StoredWithReadingsAsADictionary_ReadsThemBack()
    {
        var at = new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);
        var stored = new DeviceTwinState { Version = 7 };
        typeof(DeviceTwinState).GetField("_storedMetrics", BindingFlags.Instance | BindingFlags.NonPublic)!
            .SetValue(stored, new Dictionary<string, MetricReading> { ["temperature"] = new(21.5, at), ["pressure"] = new(1.02, at) });

        var copy = ReadBack(stored);

        Assert.Equal(new Dictionary<string, MetricReading> { ["temperature"] = new(21.5, at), ["pressure"] = new(1.02, at) }, copy.Metrics.ToDictionary());
        var again = ReadBack(copy);
        Assert.Null(typeof(DeviceTwinState).GetField("_storedMetrics", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(again));
        Assert.Equal(21.5, again.Metrics["temperature"].Value);
    }

    private static DeviceTwinState ReadBack(DeviceTwinState state)
    {
        using var provider = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var storage = new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>());
        return storage.Deserialize<DeviceTwinState>(storage.Serialize(state))!;
    }
}
