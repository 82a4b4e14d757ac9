using System.Globalization;
using DeviceTwins.Grains.Alerts;
using DeviceTwins.Grains.Interfaces.Models;
using Orleans.Serialization;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The alert index journal in Redis: one hash per shard (<c>{ServiceId}/dt.alert-journal/{shard}</c>), field the alert
/// id, value its latest change (Orleans' binary serializer), through the twin store's connection and circuit.
/// </summary>
public sealed class RedisAlertIndexJournal(TwinStoreConnection connection, string serviceId, Serializer serializer, TwinStoreCircuit? circuit = null) : IAlertIndexJournal
{
    private readonly string _prefix = serviceId + "/dt.alert-journal/";

    public Task AppendAsync(int shard, IReadOnlyList<AlertInfo> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return Task.CompletedTask;
        }

        // One field per alert: the last change of an alert in the batch is the one kept (the shard ranks them anyway).
        var fields = alerts.GroupBy(a => a.Id, StringComparer.Ordinal).Select(g => new HashEntry(g.Key, serializer.SerializeToArray(g.Last()))).ToArray();
        return connection.RunAsync($"Journaling {fields.Length} change(s) of alert index shard {shard}", circuit, async database =>
        {
            await database.HashSetAsync(Key(shard), fields).ConfigureAwait(false);
            return true;
        });
    }

    public Task<IReadOnlyList<AlertInfo>> ReadAsync(int shard) =>
        connection.RunAsync<IReadOnlyList<AlertInfo>>($"Reading the journal of alert index shard {shard}", circuit, async database =>
            [.. (await database.HashGetAllAsync(Key(shard)).ConfigureAwait(false)).Select(e => serializer.Deserialize<AlertInfo>((ReadOnlyMemory<byte>)e.Value)!)]);

    public Task ClearAsync(int shard) =>
        connection.RunAsync($"Clearing the journal of alert index shard {shard}", circuit, database => database.KeyDeleteAsync(Key(shard)));

    private RedisKey Key(int shard) => _prefix + shard.ToString(CultureInfo.InvariantCulture);
}
