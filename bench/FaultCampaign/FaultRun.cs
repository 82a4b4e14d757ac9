using System.Net.Http.Json;
using System.Text.Json;
using DeviceTwins.FaultCampaign.Checks;
using DeviceTwins.FaultCampaign.Platform;
using DeviceTwins.FaultCampaign.Workload;

namespace DeviceTwins.FaultCampaign;

/// <summary>
/// The scenario's fault. <see cref="StartAsync"/> is called by the workload at its fault round and returns once the
/// fault has begun; the fault goes on in the background and <see cref="Ended"/> completes when it is over, with the
/// telemetry partitions' ends at that moment.
/// </summary>
internal sealed class FaultRun(Scenario scenario, CampaignOptions options, CampaignPlatform platform, TextWriter log)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(120);
    private readonly TaskCompletionSource<(DateTime At, IReadOnlyDictionary<int, long> Ends)> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(DateTime At, IReadOnlyDictionary<int, long> Ends)> Ended => _ended.Task;

    public string Notes { get; private set; } = string.Empty;

    public string ApiDuringFault { get; private set; } = string.Empty;

    /// <summary>When the silo was killed, in the scenarios that kill one.</summary>
    public DateTime? KilledAt { get; private set; }

    public async Task StartAsync(CancellationToken cancellation)
    {
        var began = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            try
            {
                await RunAsync(began, cancellation).ConfigureAwait(false);
                began.TrySetResult();
                using var probe = new CommitProbe(platform.BootstrapServers, FleetWorkload.TelemetryTopic, options.Partitions);
                var at = DateTime.UtcNow;
                _ended.TrySetResult((at, await probe.EndsAsync(cancellation).ConfigureAwait(false)));
            }
            catch (Exception exception)
            {
                began.TrySetException(exception);
                _ended.TrySetException(exception);
            }
        }, cancellation);
        await began.Task.ConfigureAwait(false);
    }

    /// <summary>Runs the fault; returns the instant recovery is measured from when it is not the fault's end (with the partitions' ends then).</summary>
    private async Task<(DateTime At, IReadOnlyDictionary<int, long> Ends)?> RunAsync(TaskCompletionSource began, CancellationToken cancellation)
    {
        (DateTime At, IReadOnlyDictionary<int, long> Ends)? from = null;
        using var probe = new CommitProbe(platform.BootstrapServers, FleetWorkload.TelemetryTopic, options.Partitions);
        switch (scenario)
        {
            case Scenario.Baseline:
            case Scenario.Poison:
                break;
            case Scenario.KillOneOfThree:
                await platform.KillSiloAsync(1).ConfigureAwait(false);
                break;
            case Scenario.KillOnlySilo:
            case Scenario.SilentDevicesDuringCrash:
                if (scenario == Scenario.SilentDevicesDuringCrash)
                {
                    // Everything the silent devices sent is applied and committed first: no replay brings their twins
                    // back, only the wake index can.
                    await probe.WaitCommittedAsync(await probe.EndsAsync(cancellation).ConfigureAwait(false), options.DrainTimeout, cancellation).ConfigureAwait(false);
                }

                KilledAt = DateTime.UtcNow;
                await platform.KillSiloAsync(0).ConfigureAwait(false);
                // Recovery counts from the crash: the new silo's start is part of it.
                from = (DateTime.UtcNow, await probe.EndsAsync(cancellation).ConfigureAwait(false));
                began.TrySetResult();
                await platform.StartSiloAsync(0).ConfigureAwait(false);
                break;
            case Scenario.RollingRestart:
                var stops = new List<string>();
                var rolling = DateTime.UtcNow;
                for (var slot = 0; slot < 3; slot++)
                {
                    var (took, exit) = await platform.StopSiloAsync(slot, StopTimeout).ConfigureAwait(false);
                    began.TrySetResult();
                    stops.Add($"{took.TotalSeconds:F1} s (exit {exit})");
                    await platform.StartSiloAsync(slot).ConfigureAwait(false);
                }

                Notes = $"Rolling restart took {(DateTime.UtcNow - rolling).TotalSeconds:F1} s; SIGTERM to exit: {string.Join(", ", stops)}.";
                break;
            case Scenario.BrokerDown:
                // Leaders are chosen at random when topics are created: take down the broker leading most telemetry partitions.
                var leaders = await platform.Control.LeadersAsync(FleetWorkload.TelemetryTopic).ConfigureAwait(false);
                var broker = leaders.Values.GroupBy(b => b).OrderByDescending(g => g.Count()).First().Key;
                await platform.Control.BrokerDownAsync(broker).ConfigureAwait(false);
                began.TrySetResult();
                await Task.Delay(options.BrokerOutage, cancellation).ConfigureAwait(false);
                await platform.Control.BrokerUpAsync(broker).ConfigureAwait(false);
                Notes = $"Broker {broker} of 3, leader of {leaders.Values.Count(b => b == broker)} of {leaders.Count} telemetry partitions, down for {options.BrokerOutage.TotalSeconds:F0} s.";
                break;
            case Scenario.LeaderChange:
                var before = await platform.Control.LeadersAsync(FleetWorkload.TelemetryTopic).ConfigureAwait(false);
                foreach (var (partition, leader) in before)
                {
                    await platform.Control.SetLeaderAsync(FleetWorkload.TelemetryTopic, partition, 1 + (leader % platform.Brokers)).ConfigureAwait(false);
                }

                began.TrySetResult();
                var alertLeaders = await platform.Control.LeadersAsync("iot.alerts").ConfigureAwait(false);
                foreach (var (partition, leader) in alertLeaders)
                {
                    await platform.Control.SetLeaderAsync("iot.alerts", partition, 1 + (leader % platform.Brokers)).ConfigureAwait(false);
                }

                Notes = $"The leaders of all {before.Count} telemetry and {alertLeaders.Count} alert partitions moved to another broker.";
                break;
            case Scenario.RequestErrors:
                // Produce: retriable errors the idempotent producers (the workload's and the silos') retry without duplicates.
                await platform.Control.PushRequestErrorsAsync(0, [.. Enumerable.Repeat(6, 10), .. Enumerable.Repeat(7, 10)]).ConfigureAwait(false);
                began.TrySetResult();
                // OffsetCommit: coordinator moves and a rebalance-in-progress answer fail commits, retried at the next interval.
                await platform.Control.PushRequestErrorsAsync(8, [15, 27, 16, 7, 15]).ConfigureAwait(false);
                // Fetch: one error at a time (each costs the consumer about a second); OFFSET_OUT_OF_RANGE makes a
                // consumer reset to the partition's start and replay it, which the twins must recognise and skip.
                foreach (var error in new[] { 6, 7, 3, 1, 7, 6 })
                {
                    await platform.Control.PushRequestErrorsAsync(1, [error]).ConfigureAwait(false);
                    await Task.Delay(TimeSpan.FromSeconds(1.5), cancellation).ConfigureAwait(false);
                }

                Notes = "Injected: 20 Produce errors (NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT), 5 OffsetCommit errors (COORDINATOR_NOT_AVAILABLE, REBALANCE_IN_PROGRESS, NOT_COORDINATOR, REQUEST_TIMED_OUT), 6 Fetch errors 1.5 s apart (NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE).";
                break;
            case Scenario.ProducerFatal:
                // The workload has flushed and waits: the next produce request is the silo's. A desired change makes one.
                // The workload resumes only once the silo's producer took the error (the workload's is idempotent too).
                await platform.Control.PushRequestErrorsAsync(0, [45]).ConfigureAwait(false);
                var injected = DateTime.UtcNow;
                using (var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri("/api/devices/fleet-00001/desired", UriKind.Relative))
                {
                    Content = new StringContent("""{"rate":2}""", System.Text.Encoding.UTF8, "application/merge-patch+json"),
                })
                {
                    using var patched = await platform.Api(0).SendAsync(patch, cancellation).ConfigureAwait(false);
                    patched.EnsureSuccessStatusCode();
                }

                var replacements = 0.0;
                while (replacements < 1 && DateTime.UtcNow - injected < TimeSpan.FromSeconds(60))
                {
                    replacements = PrometheusText.Sum(await platform.Api(0).GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellation).ConfigureAwait(false), "devicetwins_alerts_producer_replacements_total");
                    await Task.Delay(100, cancellation).ConfigureAwait(false);
                }

                // The change the failed producer could not send goes out from the twin's outbox at its next try.
                var desired = await TopicReader.ReadAllAsync(platform.BootstrapServers, "iot.twin.desired", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                while (desired.Count == 0 && DateTime.UtcNow - injected < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(200, cancellation).ConfigureAwait(false);
                    desired = await TopicReader.ReadAllAsync(platform.BootstrapServers, "iot.twin.desired", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                }

                Notes = $"Produce error 45 injected; the output producer was replaced {replacements:F0} time(s); {(DateTime.UtcNow - injected).TotalSeconds:F1} s after the injection, the desired change that met the error is on iot.twin.desired {desired.Count} time(s).";
                if (replacements < 1 || desired.Count != 1)
                {
                    throw new InvalidOperationException(Notes);
                }

                began.TrySetResult();
                break;
            case Scenario.RedisOutage:
                await platform.Redis.StopAsync().ConfigureAwait(false);
                began.TrySetResult();
                var outage = DateTime.UtcNow;
                var outageOver = Task.Delay(options.RedisOutage, cancellation);
                // The API is probed while Redis is down; the outage lasts as configured however long the answers take.
                await Task.Delay(TimeSpan.FromSeconds(2), cancellation).ConfigureAwait(false);
                var probing = ProbeApiAsync();
                await outageOver.ConfigureAwait(false);
                await platform.Redis.StartAsync().ConfigureAwait(false);
                var stopped = DateTime.UtcNow - outage;
                ApiDuringFault = await probing.ConfigureAwait(false);
                Notes = $"Redis stopped for {stopped.TotalSeconds:F0} s; API meanwhile: {ApiDuringFault}.";
                break;
            case Scenario.RedisFailover:
                var cluster = platform.RedisCluster ?? throw new InvalidOperationException("RedisFailover needs the platform's Redis Cluster.");
                var (port, failover) = await cluster.KillMasterAsync().ConfigureAwait(false);
                began.TrySetResult();
                // Then the silo too: every twin comes back from the cluster, those of the lost master from its promoted replica.
                KilledAt = DateTime.UtcNow;
                await platform.KillSiloAsync(0).ConfigureAwait(false);
                await platform.StartSiloAsync(0).ConfigureAwait(false);
                Notes = $"Redis master on port {port} of a 3-master cluster SIGKILLed; its replica served its slots {failover.TotalSeconds:F1} s later (node timeout {RedisClusterServer.NodeTimeout.TotalSeconds:F0} s), the killed node rejoined as a replica; then the only silo was SIGKILLed and a new one read every twin back from the cluster.";
                break;
            case Scenario.Burst:
                // The design article's burst after an outage: the only silo is down while devices go on at three times
                // the rate, then it comes back to the backlog and the live 3x stream, with Redis taking no writes one
                // second in two. Intake must slow down, not memory grow.
                await platform.StopSiloAsync(0, StopTimeout).ConfigureAwait(false);
                began.TrySetResult();
                await Task.Delay(options.StreamDuration * 3 / 10, cancellation).ConfigureAwait(false);
                await platform.StartSiloAsync(0).ConfigureAwait(false);
                var restarted = DateTime.UtcNow;
                // Recovery counts from the silo's return: the time to work off the backlog under the 3x stream.
                from = (restarted, await probe.EndsAsync(cancellation).ConfigureAwait(false));
                var pauses = 0;
                while (DateTime.UtcNow < restarted + options.StreamDuration * 3 / 10)
                {
                    await platform.Redis.PauseWritesAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    pauses++;
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellation).ConfigureAwait(false);
                }

                Notes = $"From the fault round on, three records per device per round (3x the rate); the silo was down for {options.StreamDuration.TotalSeconds * 0.3:F0} s of it, then Redis writes were paused {pauses} times for 1 s.";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown scenario.");
        }

        return from;
    }

    private async Task<string> ProbeApiAsync()
    {
        var answers = new List<string>();
        foreach (var path in new[] { "/api/devices/campaign-never-seen", "/health/ready" })
        {
            try
            {
                var started = DateTime.UtcNow;
                using var response = await platform.Api(0).GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
                var type = response.Content.Headers.ContentType?.MediaType;
                var title = type == "application/problem+json"
                    ? (await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).GetProperty("title").GetString()
                    : type;
                answers.Add($"GET {path} {(int)response.StatusCode} {title} in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                answers.Add($"GET {path} failed: {exception.GetType().Name}");
            }
        }

        await log.WriteLineAsync("  API during the outage: " + string.Join("; ", answers)).ConfigureAwait(false);
        return string.Join("; ", answers);
    }
}
