using System.Diagnostics.Metrics;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Diagnostics;

/// <summary>
/// The twins' instruments (meter "DeviceTwins.Twins"): records applied and replays skipped, state write
/// latency, turn duration and the duration of each publishing stage, end-to-end latency from event time to applied, active twins, twins woken by the wake index, and the alerts and windows published with
/// the errors of the producer publishing them.
/// </summary>
public sealed class TwinMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceTwins.Twins";

    /// <summary>Intake stage: from a record's Kafka timestamp to its read by the silo (the producer's linger, the broker, the fetch).</summary>
    public const string IntakeKafka = "kafka";

    /// <summary>Intake stage: from a record's read by the silo to the start of its twin's turn (queue cache, pulling agent, scheduling).</summary>
    public const string IntakeDelivery = "delivery";

    // Buckets for durations in seconds: the SDK's defaults (0, 5, 10, 25, ... 10000) put every sub-second latency in one.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    };

    private readonly Counter<long> _applied;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _commandReportsIgnored;
    private readonly Counter<long> _writeFailures;
    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<double> _endToEnd;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _late;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _windows;
    private readonly Counter<long> _publishFailures;
    private readonly Histogram<double> _alertLatency;
    private readonly Counter<long> _producerErrors;
    private readonly Histogram<double> _turnDuration;
    private readonly Histogram<double> _publishStage;
    private readonly Histogram<double> _intake;
    private readonly Counter<long> _woken;
    private readonly Counter<long> _wakeDeferred;
    private readonly Counter<long> _producerReplaced;

    private long _appliedTotal;

    public TwinMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _applied = meter.CreateCounter<long>("devicetwins.twins.records_applied", "{record}", "Telemetry records applied to twins");
        _commandReportsIgnored = meter.CreateCounter<long>("devicetwins.commands.reports_ignored", "{report}", "Command results that matched no command in flight (duplicates, late or unknown ids)");
        _replayed = meter.CreateCounter<long>("devicetwins.twins.records_replayed", "{record}", "Redelivered records recognised as already applied and skipped");
        _writeFailures = meter.CreateCounter<long>("devicetwins.twins.write_failures", "{write}", "Twin state writes that failed (the delivery is retried)");
        _writeDuration = meter.CreateHistogram<double>("devicetwins.twins.write_duration", "s", "Duration of twin state writes (Redis when configured), their wait for a store slot included, by lane: first (a new alert about a reading, an API change) or bulk", tags: null, advice: Seconds);
        _endToEnd = meter.CreateHistogram<double>("devicetwins.twins.end_to_end_latency", "s", "From a record's event time to its state being durable", tags: null, advice: Seconds);
        _active = meter.CreateUpDownCounter<long>("devicetwins.twins.active", "{twin}", "Twin activations in this silo");
        _late = meter.CreateCounter<long>("devicetwins.twins.records_late", "{record}", "Records later than the window grace period: applied to the twin, left out of closed windows");
        _alerts = meter.CreateCounter<long>("devicetwins.alerts.published", "{alert}", "Alert changes published, by state (raised, acknowledged, cleared)");
        _windows = meter.CreateCounter<long>("devicetwins.aggregates.published", "{window}", "Closed windows published");
        _publishFailures = meter.CreateCounter<long>("devicetwins.twins.publish_failures", "{attempt}", "Attempts to publish a twin's outbox that failed (retried with backoff)");
        _alertLatency = meter.CreateHistogram<double>("devicetwins.alerts.latency", "s", "From the event time of an alert's triggering value to the alert published", tags: null, advice: Seconds);
        _turnDuration = meter.CreateHistogram<double>("devicetwins.twins.turn_duration", "s", "Duration of a twin's turn on a delivered batch: apply, analytics and the state write (its outputs are published after the turn)", tags: null, advice: Seconds);
        _intake = meter.CreateHistogram<double>("devicetwins.twins.intake_duration", "s", "Time a record spends before its twin's turn, by stage: kafka (from its Kafka timestamp to its read by the silo: the producer's linger, the broker, the fetch) and delivery (from its read to the start of its twin's turn: the queue cache, the pulling agent, scheduling)", tags: null, advice: Seconds);
        _publishStage = meter.CreateHistogram<double>("devicetwins.twins.publish_stage_duration", "s", "Duration of each stage of publishing a twin's outbox, by stage: kafka (acknowledged; by lane, first or bulk), history (stored), alert_index (updated)", tags: null, advice: Seconds);
        _woken = meter.CreateCounter<long>("devicetwins.twins.woken", "{twin}", "Twins woken by the durable wake index because their due work was not done (activation gone, tick lost), by outcome (woken, failed)");
        _wakeDeferred = meter.CreateCounter<long>("devicetwins.twins.wake_sweeps_deferred", "{sweep}", "Wake index sweeps put off because the telemetry intake was not caught up (records may still be on their way to overdue twins)");
        _producerReplaced = meter.CreateCounter<long>("devicetwins.alerts.producer_replacements", "{producer}", "Output producers replaced after a fatal error (no restart needed)");
        _producerErrors = meter.CreateCounter<long>("devicetwins.alerts.producer_errors", "{error}", "Errors reported by the alert and aggregate producer (brokers unreachable, authorization, ...), by code");
    }

    public void Activated() => _active.Add(1);

    public void Deactivated() => _active.Add(-1);

    public void Applied(int count)
    {
        _applied.Add(count);
        Interlocked.Add(ref _appliedTotal, count);
    }

    /// <summary>Records applied to this silo's twins since it started (the console's records/s).</summary>
    public long AppliedTotal => Interlocked.Read(ref _appliedTotal);

    public void Replayed(int count) => _replayed.Add(count);

    /// <summary>Counts a command result that matched no command in flight.</summary>
    public void CommandReportIgnored() => _commandReportsIgnored.Add(1);

    public void WriteFailed() => _writeFailures.Add(1);

    public void Written(TimeSpan duration, string lane) =>
        _writeDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("lane", lane));

    public void Late(int count)
    {
        if (count > 0)
        {
            _late.Add(count);
        }
    }

    public void PublishFailed() => _publishFailures.Add(1);

    /// <summary>Counts an error the alert and aggregate producer reported, tagged with its code and whether it is fatal.</summary>
    public void ProducerError(string code, bool fatal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        _producerErrors.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("fatal", fatal ? "true" : "false"));
    }

    public void Published(IReadOnlyList<AlertInfo> alerts, int windows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        foreach (var alert in alerts)
        {
            _alerts.Add(1, new KeyValuePair<string, object?>("state", alert.State));
            _alertLatency.Record(Math.Max(0, (now - alert.EventTime).TotalSeconds));
        }

        if (windows > 0)
        {
            _windows.Add(windows);
        }
    }

    public void Turn(TimeSpan duration) => _turnDuration.Record(duration.TotalSeconds);

    /// <summary>Records an intake stage (<see cref="IntakeKafka"/> or <see cref="IntakeDelivery"/>); a negative duration (clocks apart) counts as 0.</summary>
    public void Intake(string stage, TimeSpan duration) => _intake.Record(Math.Max(0, duration.TotalSeconds), new KeyValuePair<string, object?>("stage", stage));

    public void PublishStage(string stage, TimeSpan duration) => _publishStage.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>Records a stage that has lanes (the Kafka acknowledgement: first or bulk producer).</summary>
    public void PublishStage(string stage, TimeSpan duration, string lane) =>
        _publishStage.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("lane", lane));

    public void ProducerReplaced() => _producerReplaced.Add(1);

    public void WakeDeferred() => _wakeDeferred.Add(1);

    public void Woken(int woken, int failed)
    {
        if (woken > 0)
        {
            _woken.Add(woken, new KeyValuePair<string, object?>("outcome", "woken"));
        }

        if (failed > 0)
        {
            _woken.Add(failed, new KeyValuePair<string, object?>("outcome", "failed"));
        }
    }

    public void EndToEnd(TimeSpan latency) => _endToEnd.Record(Math.Max(0, latency.TotalSeconds));
}
