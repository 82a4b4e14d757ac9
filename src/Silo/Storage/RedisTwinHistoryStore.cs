using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Windows;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Persistence;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The twin history in Redis, beside the twin store's keys and through its connection: one list of windows and one of
/// cleared alerts per device (RPUSH, then LTRIM to the retained count, pipelined). An output appended twice (republished
/// after a crash) is stored twice and read once. Fails like the twin store: at once while its circuit is open, and as
/// <see cref="TwinStoreUnavailableException"/> when Redis is unreachable.
/// </summary>
public sealed class RedisTwinHistoryStore(TwinStoreConnection connection, string serviceId, TwinStoreCircuit? circuit = null) : ITwinHistoryStore
{
    private readonly string _prefix = serviceId + "/dt.history/";

    public async Task AppendAsync(string deviceId, IReadOnlyList<WindowAggregate> windows, IReadOnlyList<Alert> cleared, TwinHistoryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(cleared);
        if (windows.Count == 0 && cleared.Count == 0)
        {
            return;
        }

        await RunAsync("Appending the history", deviceId, async database =>
        {
            var batch = database.CreateBatch();
            var sent = new List<Task>(4);
            Append(batch, sent, WindowsKey(deviceId), [.. windows.Select(w => (RedisValue)TwinHistoryCodec.EncodeWindow(w))], limits.Windows);
            Append(batch, sent, AlertsKey(deviceId), [.. cleared.Select(a => (RedisValue)TwinHistoryCodec.EncodeAlert(a))], limits.Alerts);
            batch.Execute();
            await Task.WhenAll(sent).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    public Task<TwinHistory> ReadAsync(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return RunAsync("Reading the history", deviceId, async database =>
        {
            var batch = database.CreateBatch();
            var windows = batch.ListRangeAsync(WindowsKey(deviceId));
            var alerts = batch.ListRangeAsync(AlertsKey(deviceId));
            batch.Execute();
            await Task.WhenAll(windows, alerts).ConfigureAwait(false);
            return TwinHistoryCodec.Decode(
                deviceId,
                (await windows.ConfigureAwait(false)).Select(v => (byte[])v!),
                (await alerts.ConfigureAwait(false)).Select(v => (byte[])v!),
                new TwinHistoryLimits(int.MaxValue, int.MaxValue));
        });
    }

    private static void Append(IBatch batch, List<Task> sent, RedisKey key, RedisValue[] values, int limit)
    {
        if (values.Length == 0)
        {
            return;
        }

        sent.Add(batch.ListRightPushAsync(key, values));
        sent.Add(limit == 0 ? batch.KeyDeleteAsync(key) : batch.ListTrimAsync(key, -limit, -1));
    }

    private RedisKey WindowsKey(string deviceId) => _prefix + "windows/" + deviceId;

    private RedisKey AlertsKey(string deviceId) => _prefix + "alerts/" + deviceId;

    private Task<T> RunAsync<T>(string operation, string deviceId, Func<IDatabase, Task<T>> run) =>
        connection.RunAsync($"{operation} of {deviceId}", circuit, run);
}
