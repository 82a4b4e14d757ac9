using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.ClusterTests;

/// <summary>The fleet alert index journals each batch before acknowledging it and takes its journal back when it activates.</summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class AlertIndexJournalTests(KafkaClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Update_JournaledBeforeItIsAcknowledged()
    {
        // A shard number of its own, so no other test's alerts mix in.
        var shard = 1000 + Random.Shared.Next(1000);
        var raised = Alert("a-1", "raised");

        await fixture.Grains.GetGrain<IAlertIndexGrain>(shard).UpdateAsync([raised]);

        Assert.Equal([raised], fixture.AlertJournal.Of(shard));
    }

    [Fact]
    public async Task Activation_TakesTheJournal_ByRank()
    {
        var shard = 2000 + Random.Shared.Next(1000);
        // What a shard took before its silo died, after its last full write: a raise, and another alert's clear.
        await fixture.AlertJournal.AppendAsync(shard, [Alert("a-1", "raised"), Alert("a-2", "cleared")]);

        var index = fixture.Grains.GetGrain<IAlertIndexGrain>(shard);
        var all = await index.QueryAsync(activeOnly: false, after: null, limit: 10, tenant: null);

        Assert.Equal(["a-1:raised", "a-2:cleared"], all.Select(a => $"{a.Id}:{a.State}").Order());
        Assert.Equal(["a-1"], (await index.QueryAsync(activeOnly: true, after: null, limit: 10, tenant: null)).Select(a => a.Id));

        // An older change of a cleared alert never brings it back.
        await index.UpdateAsync([Alert("a-2", "raised")]);
        Assert.Equal(["a-1"], (await index.QueryAsync(activeOnly: true, after: null, limit: 10, tenant: null)).Select(a => a.Id));
    }

    private static AlertInfo Alert(string id, string state) => new(
        id, "journal-device", "overheat", "threshold", "temperature", "critical", state, 91, T0, T0,
        null, state == "cleared" ? T0.AddMinutes(1) : null, null, "above 90", false);
}
