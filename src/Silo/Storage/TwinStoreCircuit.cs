using System.Diagnostics.Metrics;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Circuit breaker of the twin store. Closed, every operation passes. The first operation that fails because the
/// store is unreachable opens it: from then on operations fail at once (<see cref="TwinStoreUnavailableException"/>),
/// without reaching Redis or taking a slot, and waiters for a slot give up. Every probe interval a single probe (a
/// PING through the store's own connection) runs; its success closes the circuit, its failure keeps it open until
/// the next interval. Failures that show the store reachable (version conflicts, bad data) never open it.
/// </summary>
public sealed partial class TwinStoreCircuit : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeSpan _probeInterval;
    private readonly Func<Task> _probe;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private Action[] _onOpened = [];
    private volatile TwinStoreCircuitState _state = TwinStoreCircuitState.Closed;
    private DateTimeOffset _openedAt;
    private string _reason = string.Empty;
    private long _probes;

    /// <summary>
    /// A circuit that probes with <paramref name="probe"/> every <paramref name="probeInterval"/> while open, reporting
    /// its state as the gauge devicetwins.twins.store_circuit_open of <paramref name="meterFactory"/> when given.
    /// </summary>
    public TwinStoreCircuit(TimeSpan probeInterval, Func<Task> probe, TimeProvider time, ILogger<TwinStoreCircuit> logger, IMeterFactory? meterFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(probeInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _probeInterval = probeInterval;
        _probe = probe;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(_ => _ = ProbeAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        meterFactory?.Create(TwinMetrics.MeterName).CreateObservableGauge(
            "devicetwins.twins.store_circuit_open", () => IsOpen ? 1 : 0, "{circuit}", "1 while the twin store circuit is open (store operations fail at once), else 0");
    }

    /// <summary>Closed, open, or open with a probe in flight.</summary>
    public TwinStoreCircuitState State => _state;

    /// <summary>True unless the circuit is closed.</summary>
    public bool IsOpen => _state != TwinStoreCircuitState.Closed;

    /// <summary>Probes started since the process began.</summary>
    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>Since when the circuit is open, and why; null when closed.</summary>
    public (DateTimeOffset Since, string Reason)? Outage
    {
        get
        {
            lock (_lock)
            {
                return _state == TwinStoreCircuitState.Closed ? null : (_openedAt, _reason);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="callback"/> each time the circuit opens, outside its lock: operations waiting for a slot
    /// stop waiting then.
    /// </summary>
    public void OnOpened(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_lock)
        {
            _onOpened = [.. _onOpened, callback];
        }
    }

    /// <summary>Throws <see cref="TwinStoreUnavailableException"/> naming <paramref name="operation"/> unless the circuit is closed.</summary>
    public void ThrowIfOpen(string operation)
    {
        if (_state != TwinStoreCircuitState.Closed)
        {
            throw Rejection(operation);
        }
    }

    /// <summary>The exception an operation rejected by the open circuit fails with.</summary>
    public TwinStoreUnavailableException Rejection(string operation)
    {
        var outage = Outage;
        return new TwinStoreUnavailableException(outage is { } open
            ? $"{operation} failed at once: the twin store is not reachable (circuit open since {open.Since:O}: {open.Reason})."
            : $"{operation} failed: the twin store is not reachable.");
    }

    /// <summary>
    /// Opens the circuit after an operation failed because the store is unreachable (<paramref name="cause"/>); the
    /// <paramref name="failure"/> that opened it is logged whole, since what the operations then throw names its type only.
    /// </summary>
    public void ReportUnreachable(string cause, Exception? failure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cause);
        Action[] onOpened;
        lock (_lock)
        {
            if (_state != TwinStoreCircuitState.Closed)
            {
                // Operations started before the circuit opened keep failing for a while: the outage is known already.
                return;
            }

            _state = TwinStoreCircuitState.Open;
            _openedAt = _time.GetUtcNow();
            _reason = cause;
            onOpened = _onOpened;
            _timer.Change(_probeInterval, Timeout.InfiniteTimeSpan);
        }

        LogOpened(_logger, failure, cause, _probeInterval);
        // Outside the lock: the callbacks complete the waiters.
        foreach (var callback in onOpened)
        {
            callback();
        }
    }

    /// <summary>Runs one probe now if the circuit is open and none is in flight; for tests and health checks.</summary>
    public Task ProbeAsync()
    {
        lock (_lock)
        {
            if (_state != TwinStoreCircuitState.Open)
            {
                return Task.CompletedTask;
            }

            _state = TwinStoreCircuitState.HalfOpen;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        Interlocked.Increment(ref _probes);
        return RunProbeAsync();
    }

    public void Dispose()
    {
        _timer.Dispose();
    }

    private async Task RunProbeAsync()
    {
        Exception? failure = null;
        try
        {
            await _probe().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Whatever fails a PING, the store cannot be used: keep the circuit open until the next probe.
            failure = exception;
        }

        TimeSpan outage;
        lock (_lock)
        {
            if (failure is not null)
            {
                _state = TwinStoreCircuitState.Open;
                _timer.Change(_probeInterval, Timeout.InfiniteTimeSpan);
                outage = TimeSpan.Zero;
            }
            else
            {
                _state = TwinStoreCircuitState.Closed;
                outage = _time.GetUtcNow() - _openedAt;
            }
        }

        if (failure is null)
        {
            LogClosed(_logger, outage);
        }
        else
        {
            LogProbeFailed(_logger, failure.GetType().FullName, failure.Message, _probeInterval);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin store circuit opened: the store is not reachable ({Reason}); its operations fail at once, probing every {ProbeInterval}")]
    private static partial void LogOpened(ILogger logger, Exception? failure, string reason, TimeSpan probeInterval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twin store circuit closed: the store answers again after an outage of {Outage}")]
    private static partial void LogClosed(ILogger logger, TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin store probe failed ({ExceptionType}: {Reason}); next probe in {ProbeInterval}")]
    private static partial void LogProbeFailed(ILogger logger, string? exceptionType, string reason, TimeSpan probeInterval);
}
