using DeviceTwins.FaultCampaign.Checks;
using DeviceTwins.FaultCampaign.Platform;
using DeviceTwins.FaultCampaign.Workload;

namespace DeviceTwins.FaultCampaign;

/// <summary>
/// Runs one fault scenario against a fresh platform (standalone embedded Kafka cluster, real Redis, silo processes),
/// with the known input of <see cref="FleetWorkload"/>, and checks the result exactly: per-device applied counts over
/// HTTP, the alerts topic, the dead-letter topic.
/// </summary>
public static class Campaign
{
    public static async Task<ScenarioReport> RunAsync(Scenario scenario, CampaignOptions options, TextWriter log, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var root = options.WorkDirectory.Length > 0 ? options.WorkDirectory : Path.GetTempPath();
        var work = Path.Combine(root, $"devicetwins-campaign-{scenario}-{Guid.NewGuid():N}"[..48]);
        var brokers = scenario is Scenario.BrokerDown or Scenario.LeaderChange or Scenario.RequestErrors ? 3 : 1;
        var silos = scenario is Scenario.KillOneOfThree or Scenario.RollingRestart ? 3 : 1;
        await log.WriteLineAsync($"{scenario}: {brokers} broker(s), {silos} silo(s), {options.Devices} devices, {options.Rounds} rounds over {options.StreamDuration.TotalSeconds} s").ConfigureAwait(false);

        await using var platform = await CampaignPlatform.StartAsync(work, brokers, options.Partitions, log, options.KeepLogs, options.SiloSettings, redisCluster: scenario == Scenario.RedisFailover).ConfigureAwait(false);
        try
        {
            for (var slot = 0; slot < silos; slot++)
            {
                await platform.StartSiloAsync(slot).ConfigureAwait(false);
            }

            return await RunStreamAsync(scenario, options, platform, log, cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await log.WriteLineAsync($"{scenario} failed: {exception}\n{platform.Diagnostics}").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>From the end of the fault until everything produced by then is durably applied and committed, measured while the stream goes on.</summary>
    private static async Task<TimeSpan?> MeasureRecoveryAsync(string bootstrapServers, CampaignOptions options, FaultRun fault, CancellationToken cancellation)
    {
        var (at, ends) = await fault.Ended.ConfigureAwait(false);
        using var probe = new CommitProbe(bootstrapServers, FleetWorkload.TelemetryTopic, options.Partitions);
        var recoveredAt = await probe.WaitCommittedAsync(ends, options.DrainTimeout, cancellation).ConfigureAwait(false);
        return recoveredAt - at;
    }

    private static async Task<ScenarioReport> RunStreamAsync(Scenario scenario, CampaignOptions options, CampaignPlatform platform, TextWriter log, CancellationToken cancellation)
    {
        var workload = new FleetWorkload(platform.BootstrapServers, options, scenario);
        using var probe = new CommitProbe(platform.BootstrapServers, FleetWorkload.TelemetryTopic, options.Partitions);
        var fault = new FaultRun(scenario, options, platform, log);
        var started = DateTime.UtcNow;
        var recovering = MeasureRecoveryAsync(platform.BootstrapServers, options, fault, cancellation);
        await workload.RunAsync(() => fault.StartAsync(cancellation), cancellation).ConfigureAwait(false);
        await log.WriteLineAsync($"  produced {workload.DeliveredTotal:N0} records and {workload.Poison.Count:N0} poison records in {(DateTime.UtcNow - started).TotalSeconds:F1} s").ConfigureAwait(false);
        var recovery = await recovering.ConfigureAwait(false);
        var finalEnds = await probe.EndsAsync(cancellation).ConfigureAwait(false);
        var drainedAt = await probe.WaitCommittedAsync(finalEnds, options.DrainTimeout, cancellation).ConfigureAwait(false);
        var total = (drainedAt ?? DateTime.UtcNow) - started;
        await log.WriteLineAsync(drainedAt is null ? "  the platform did not commit every record before the deadline" : $"  every record durable and committed {total.TotalSeconds:F1} s after the first").ConfigureAwait(false);

        var (counts, versions) = await TwinCounts.ReadAsync(platform, workload.DeviceIds).ConfigureAwait(false);
        long lost = 0, twice = 0;
        var unreadable = 0;
        for (var d = 0; d < counts.Length; d++)
        {
            var expected = workload.Delivered(d);
            if (counts[d] < 0)
            {
                unreadable++;
            }
            else if (counts[d] < expected)
            {
                lost += expected - counts[d];
            }
            else
            {
                twice += counts[d] - expected;
            }
        }

        var index = await FleetIndexCheck.RunAsync(platform, workload.DeviceIds, versions, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var overloaded = workload.DeviceIds.Where((_, d) => workload.IsOverloaded(d, workload.OverloadRound)).ToHashSet(StringComparer.Ordinal);
        var alerts = await AlertCheck.RunAsync(platform.BootstrapServers, overloaded, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        // Devices that kept sending to the end go offline after it too (with no clear): only raise-and-clear counts as false.
        var silent = workload.DeviceIds.Where((_, d) => workload.IsSilent(d)).ToHashSet(StringComparer.Ordinal);
        var offline = await OfflineCheck.RunAsync(platform.BootstrapServers, silent, fault.KilledAt, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        // The silent devices' last windows are closed only by the wake index (after the crash nothing of them arrives).
        var quietWindows = silent.Count == 0 ? (Incomplete: 0, Conflicting: 0) : await WindowCheck.RunAsync(
            platform.BootstrapServers,
            workload.DeviceIds.Select((id, d) => (id, d)).Where(x => silent.Contains(x.id)).ToDictionary(x => x.id, x => workload.Delivered(x.d)),
            ["seq", "load"],
            TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        var deadLetters = await DeadLetterCheck.RunAsync(platform.BootstrapServers, workload.Poison, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        if (deadLetters.FirstProblem.Length > 0)
        {
            await log.WriteLineAsync("  dead letters: " + deadLetters.FirstProblem).ConfigureAwait(false);
        }

        var notes = fault.Notes;
        notes += index.Wrong == 0 ? $" Fleet index exact {index.Took.TotalSeconds:F1} s after the drain." : $" Fleet index: {index.Wrong} devices still wrong 30 s after the drain.";
        if (silent.Count > 0)
        {
            notes += $" {silent.Count} devices went silent at the kill: {silent.Count - offline.Missing} reported offline once each"
                + (offline.Latest is { } latest ? $", the last {latest.TotalSeconds:F1} s after the kill (their deadline about 3 s after it, failure detection none: the only silo)" : string.Empty)
                + $"; {offline.Duplicates} second offline ids or clears; their windows: {silent.Count - quietWindows.Incomplete} of {silent.Count} devices with every record in exactly one published window, {quietWindows.Conflicting} windows published with two contents.";
        }

        notes += $" Offline raised and cleared again for devices that kept sending: {offline.FalseAlarms}.";
        if (workload.DeliveryFailures > 0)
        {
            notes += $" The producer failed to deliver {workload.DeliveryFailures} record(s) (first: {workload.FirstDeliveryError}); they are not expected.";
        }

        var report = new ScenarioReport
        {
            Scenario = scenario,
            Devices = options.Devices,
            Records = workload.DeliveredTotal,
            Poison = workload.Poison.Count,
            Lost = lost,
            AppliedTwice = twice,
            Unreadable = unreadable,
            FleetIndexWrong = index.Wrong,
            QuietWindowsWrong = quietWindows.Incomplete + quietWindows.Conflicting,
            DuplicateAlertIds = alerts.DuplicateIds + offline.Duplicates,
            MissingAlerts = alerts.Missing + offline.Missing,
            RepublishedAlertRecords = alerts.Republished,
            PoisonMissing = deadLetters.Missing,
            UnexpectedDeadLetters = deadLetters.Unexpected,
            Replayed = platform.Replayed,
            Recovery = recovery,
            Total = total,
            PeakSiloBytes = platform.PeakSiloBytes,
            ApiDuringFault = fault.ApiDuringFault,
            Notes = notes.Trim(),
        };
        await log.WriteLineAsync($"  {report.Records:N0} records: lost {lost}, applied twice {twice}, unreadable {unreadable}; {alerts.Records} overload alert records for {overloaded.Count} devices: duplicate ids {alerts.DuplicateIds}, missing {alerts.Missing}, republished {alerts.Republished}; replayed {report.Replayed:N0}; {report.Notes}").ConfigureAwait(false);
        return report;
    }
}
