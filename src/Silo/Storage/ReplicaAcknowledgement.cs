using System.Collections.Concurrent;
using System.Net;
using System.Diagnostics.Metrics;
using DeviceTwins.Grains.Diagnostics;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Makes a twin's write durable on a Redis Cluster's replicas before it counts: Redis WAIT on the node that took it, over
/// the same connection, so it covers that write (and any pipelined before it). WAIT holds the connection while it
/// waits, so it waits briefly, and a write whose replica is still linked to the node (Redis ROLE) but behind waits
/// again, up to a deadline: a slow replica delays the write, it does not make it count unconfirmed. A node whose WAIT
/// timed out and that then reports fewer linked replicas than required (a master just promoted, or one that has lost its
/// replica's link), and one whose replica stays behind past the deadline, are written without waiting for
/// <see cref="DegradedFor"/>, then asked again: the store stays available, and counts and logs every such period.
/// Writes to one node share WAITs (group commit): at most one is in flight per node, and the writes made while it is
/// wait together for the next.
/// </summary>
public sealed partial class ReplicaAcknowledgement
{
    /// <summary>How long a node that missed the timeout is written without waiting.</summary>
    public static readonly TimeSpan DegradedFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<EndPoint, DateTimeOffset> _degradedUntil = new();
    private readonly ConcurrentDictionary<EndPoint, WaitRounds> _rounds = new();
    private readonly TwinStoreConnection _connection;
    private readonly int _replicas;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _deadline;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplicaAcknowledgement> _logger;
    private long _unconfirmed;

    public ReplicaAcknowledgement(TwinStoreConnection connection, int replicas, TimeSpan timeout, TimeSpan deadline, TimeProvider time, ILogger<ReplicaAcknowledgement> logger, IMeterFactory? meterFactory = null)
    {
        _connection = connection;
        _replicas = replicas;
        _timeout = timeout;
        _deadline = deadline;
        _time = time;
        _logger = logger;
        meterFactory?.Create(TwinMetrics.MeterName).CreateObservableCounter(
            "devicetwins.twin_store.unconfirmed_writes",
            () => Unconfirmed,
            "{write}",
            "Twin writes on a Redis Cluster that completed without their replicas' confirmation (a master without a linked replica, or one whose replica stayed behind past the deadline)");
    }

    /// <summary>Writes that completed without their replicas' confirmation (a node degraded or timed out).</summary>
    public long Unconfirmed => Interlocked.Read(ref _unconfirmed);

    /// <summary>Waits until the configured number of replicas of the node holding <paramref name="key"/> have the writes made to it so far.</summary>
    public async Task WaitAsync(RedisKey key)
    {
        if (_replicas == 0 || _connection.Multiplexer is not { } multiplexer)
        {
            return;
        }

        var database = multiplexer.GetDatabase();
        if (await database.IdentifyEndpointAsync(key).ConfigureAwait(false) is not { } endpoint)
        {
            return;
        }

        // Only the node's own answers decide that a write goes unconfirmed: the client's cached view of the cluster can
        // show a healthy master without its replica for as long as it is not refreshed.
        var server = multiplexer.GetServer(endpoint);
        if (_degradedUntil.TryGetValue(endpoint, out var until) && _time.GetUtcNow() < until)
        {
            Interlocked.Increment(ref _unconfirmed);
            return;
        }

        var rounds = _rounds.GetOrAdd(endpoint, _ => new WaitRounds());
        var giveUpAt = _time.GetUtcNow() + _deadline;
        long acknowledged;
        do
        {
            acknowledged = await rounds.JoinAsync(() => WaitOnceAsync(server)).ConfigureAwait(false);
            if (acknowledged >= _replicas)
            {
                _degradedUntil.TryRemove(endpoint, out _);
                return;
            }
        }
        // Behind is not gone: while the node still has its replicas linked, the write waits for them (up to the deadline).
        while (_time.GetUtcNow() < giveUpAt && await LinkedReplicasAsync(server).ConfigureAwait(false) >= _replicas);

        Interlocked.Increment(ref _unconfirmed);
        // One warning per degraded period: of the writes that time out together, only the one that opens it logs.
        var now = _time.GetUtcNow();
        var opened = _degradedUntil.TryGetValue(endpoint, out var already)
            ? now >= already && _degradedUntil.TryUpdate(endpoint, now + DegradedFor, already)
            : _degradedUntil.TryAdd(endpoint, now + DegradedFor);
        if (!opened)
        {
            return;
        }

        LogDegraded(_logger, endpoint.ToString() ?? "?", acknowledged, _replicas, _deadline, DegradedFor);
    }

    // The replicas linked to the node by its own account; none when it is no longer a master.
    private static async Task<int> LinkedReplicasAsync(IServer server) =>
        await server.RoleAsync().ConfigureAwait(false) is Role.Master master ? master.Replicas.Count : 0;

    private async Task<long> WaitOnceAsync(IServer server) =>
        (long)await server.ExecuteAsync("WAIT", _replicas, (long)_timeout.TotalMilliseconds).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis node {Endpoint} confirmed a twin write on {Acknowledged} of {Replicas} replica(s) and has lost its replica or kept it behind for {Deadline}: its writes go unconfirmed for {DegradedFor}")]
    private static partial void LogDegraded(ILogger logger, string endpoint, long acknowledged, int replicas, TimeSpan deadline, TimeSpan degradedFor);
}
