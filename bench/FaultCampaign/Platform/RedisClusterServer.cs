using System.Diagnostics;
using System.Globalization;
using DeviceTwins.Testing;

namespace DeviceTwins.FaultCampaign.Platform;

/// <summary>
/// A real Redis Cluster owned by the campaign: three masters with a replica each (redis-server in cluster mode, made a
/// cluster by redis-cli --cluster create), every node with an append-only file fsynced every write. A master can be
/// killed with SIGKILL and the time until its replica serves its slots measured; the killed node restarts as a replica.
/// </summary>
internal sealed class RedisClusterServer : IAsyncDisposable
{
    /// <summary>How long a node may be unreachable before the cluster fails it over.</summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(2);

    private readonly string _directory;
    private readonly int[] _ports;

    private RedisClusterServer(string directory, int[] ports)
    {
        _directory = directory;
        _ports = ports;
    }

    /// <summary>Every node, as a StackExchange.Redis connection string.</summary>
    public string ConnectionString => string.Join(",", _ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{p}")));

    public static async Task<RedisClusterServer> StartAsync(string directory)
    {
        var cluster = new RedisClusterServer(directory, [.. Enumerable.Range(0, 6).Select(_ => TestHost.FreePort(companionOffset: 10000))]);
        try
        {
            foreach (var port in cluster._ports)
            {
                await cluster.StartNodeAsync(port).ConfigureAwait(false);
            }

            var (exit, output) = await RunAsync("redis-cli", ["--cluster", "create", .. cluster._ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "1", "--cluster-yes"]).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + output);
            }

            await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// SIGKILLs the master serving the most slots' worth of the first node's view (the first master), waits until a
    /// replica serves its slots and the cluster is healthy again, then restarts the killed node (it rejoins as a replica).
    /// Returns the killed node's port and the time from the kill until the cluster was healthy.
    /// </summary>
    public async Task<(int Port, TimeSpan Failover)> KillMasterAsync()
    {
        var masters = await MastersAsync().ConfigureAwait(false);
        var victim = masters[0];
        var pid = int.Parse(await File.ReadAllTextAsync(PidFile(victim)).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var killed = Stopwatch.StartNew();
        Process.GetProcessById(pid).Kill();
        await Eventually.Until(
            async () => (await MastersAsync(except: victim).ConfigureAwait(false)).Count == 3 && await ServesEverySlotAsync(except: victim).ConfigureAwait(false),
            healthy => healthy,
            TimeSpan.FromSeconds(60),
            "a replica to take over the killed master's slots").ConfigureAwait(false);
        var failover = killed.Elapsed;
        await StartNodeAsync(victim).ConfigureAwait(false);
        await WaitHealthyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return (victim, failover);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var port in _ports)
        {
            await RunAsync("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), "shutdown", "nosave"]).ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private async Task StartNodeAsync(int port)
    {
        var directory = Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        await RunAsync(
            "redis-server",
            [
                "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
                "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(directory, "nodes.conf"),
                "--cluster-node-timeout", ((long)NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--daemonize", "yes", "--pidfile", PidFile(port), "--logfile", Path.Combine(directory, "redis.log"),
            ]).ConfigureAwait(false);
        await Eventually.Until(
            async () => (await RunAsync("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), "ping"]).ConfigureAwait(false)).Output.Trim() == "PONG",
            ok => ok,
            TimeSpan.FromSeconds(30),
            $"redis-server on {port} to answer PING").ConfigureAwait(false);
    }

    private async Task<bool> ServesEverySlotAsync(int except)
    {
        foreach (var port in _ports.Where(p => p != except))
        {
            var (_, info) = await RunAsync("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]).ConfigureAwait(false);
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private Task WaitHealthyAsync(TimeSpan timeout) =>
        Eventually.Until(() => IsHealthyAsync(except: null), healthy => healthy, timeout, "the Redis Cluster to cover every slot on every node");

    // Every live node sees the cluster healthy (every slot served), and every replica's link to its master is up (a
    // replica that never synced cannot take over).
    private async Task<bool> IsHealthyAsync(int? except)
    {
        foreach (var port in _ports.Where(p => p != except))
        {
            var (_, info) = await RunAsync("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]).ConfigureAwait(false);
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return false;
            }

            var (_, replication) = await RunAsync("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), "info", "replication"]).ConfigureAwait(false);
            if (replication.Contains("role:slave", StringComparison.Ordinal) && !replication.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // The ports of the masters that serve slots, as a live node sees them.
    private async Task<List<int>> MastersAsync(int? except = null)
    {
        var asked = _ports.First(p => p != except);
        var (_, nodes) = await RunAsync("redis-cli", ["-p", asked.ToString(CultureInfo.InvariantCulture), "cluster", "nodes"]).ConfigureAwait(false);
        return [.. nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(f => f.Length > 8 && f[2].Contains("master", StringComparison.Ordinal) && !f[2].Contains("fail", StringComparison.Ordinal))
            .Select(f => int.Parse(f[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture))
            .Where(p => p != except)
            .Order()];
    }

    private string PidFile(int port) => Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture), "redis.pid");

    private static Task<(int Exit, string Output)> RunAsync(string file, string[] arguments) => RedisServer.RunAsync(file, arguments);
}
