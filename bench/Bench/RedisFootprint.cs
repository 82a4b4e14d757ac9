using System.Globalization;
using StackExchange.Redis;

namespace DeviceTwins.Bench;

/// <summary>
/// What the twins cost Redis over the throughput phase: commands per applied record (INFO commandstats, reset when the
/// silo starts; commands a Lua script runs count too) and bytes per twin (used_memory growth over the phase, and MEMORY
/// USAGE of one twin's keys under the run's service id).
/// </summary>
internal sealed class RedisFootprint : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly IServer _server;
    private readonly long _startMemory;

    private RedisFootprint(ConnectionMultiplexer redis, IServer server, long startMemory) =>
        (_redis, _server, _startMemory) = (redis, server, startMemory);

    public static async Task<RedisFootprint> StartAsync(string connection)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(ConfigurationOptions.Parse(connection + ",allowAdmin=true"));
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await server.ConfigResetStatisticsAsync();
        return new RedisFootprint(redis, server, await UsedMemoryAsync(server));
    }

    /// <summary>Lines describing the phase since <see cref="StartAsync"/>, for <paramref name="records"/> applied to <paramref name="devices"/> twins.</summary>
    public async Task<IReadOnlyList<string>> DescribeAsync(long records, int devices, string serviceId, string sampleDevice)
    {
        var commands = (await _server.InfoAsync("commandstats")).SelectMany(g => g)
            .Select(kv => (Command: kv.Key.Replace("cmdstat_", string.Empty, StringComparison.Ordinal), Calls: Calls(kv.Value)))
            .Where(c => c.Calls > 0)
            .OrderByDescending(c => c.Calls)
            .ToList();
        var total = commands.Sum(c => c.Calls);
        var used = await UsedMemoryAsync(_server) - _startMemory;
        var keys = new List<string>();
        await foreach (var key in _server.KeysAsync(pattern: serviceId + "/*" + sampleDevice + "*"))
        {
            var bytes = await _redis.GetDatabase().ExecuteAsync("MEMORY", "USAGE", key.ToString());
            keys.Add($"{key.ToString()[(serviceId.Length + 1)..]} {(long)bytes:N0} B");
        }

        return
        [
            $"{total / (double)records:N2} commands per applied record ({total:N0}: {string.Join(", ", commands.Take(6).Select(c => $"{c.Command} {c.Calls:N0}"))})",
            $"{used / (double)devices:N0} bytes per twin (used_memory growth / twins); one twin's keys: {string.Join("; ", keys)}",
        ];
    }

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    private static long Calls(string stats) =>
        long.Parse(stats.Split(',').First(p => p.StartsWith("calls=", StringComparison.Ordinal))[6..], CultureInfo.InvariantCulture);

    private static async Task<long> UsedMemoryAsync(IServer server) =>
        long.Parse((await server.InfoAsync("memory")).SelectMany(g => g).First(kv => kv.Key == "used_memory").Value, CultureInfo.InvariantCulture);
}
