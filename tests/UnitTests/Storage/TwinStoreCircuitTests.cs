using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Persistence.Redis;
using Orleans.Storage;
using StackExchange.Redis;

namespace DeviceTwins.UnitTests.Storage;

/// <summary>
/// The twin store's circuit breaker: opened by an unreachable store only, failing operations at once while open,
/// one PING probe per interval, closed by a probe that succeeds.
/// </summary>
public sealed class TwinStoreCircuitTests : IDisposable
{
    private const string Unreachable = "Failed to write grain state for twin with ID devicetwin/a and storage key devicetwins/state/devicetwin/a/twin. "
        + "StackExchange.Redis.RedisConnectionException: The message timed out in the backlog attempting to send because no connection became available (5000ms)";

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly GrainId Grain = GrainId.Create("devicetwin", "a");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly CapturingLogger _log = new();
    private readonly ProbeScript _probe = new();
    private readonly TwinStoreCircuit _circuit;

    public TwinStoreCircuitTests() => _circuit = new TwinStoreCircuit(Interval, _probe.RunAsync, _time, _log);

    public void Dispose() => _circuit.Dispose();

    [Fact]
    public async Task Closed_UnreachableFailure_OpensAndLogsOnce()
    {
        var inner = new ScriptedStorage(new RedisStorageException(Unreachable));
        var storage = new ThrottledGrainStorage(inner, 2, _circuit);

        var first = await Assert.ThrowsAsync<TwinStoreUnavailableException>(() => storage.WriteStateAsync("twin", Grain, new GrainState<int>()));
        var second = await Assert.ThrowsAsync<TwinStoreUnavailableException>(() => storage.WriteStateAsync("twin", Grain, new GrainState<int>()));

        Assert.Equal("Writing state 'twin' of devicetwin/a failed: the twin store is not reachable (StackExchange.Redis.RedisConnectionException).", first.Message);
        Assert.Equal(
            "Writing state 'twin' of devicetwin/a failed at once: the twin store is not reachable (circuit open since 2026-11-27T10:00:00.0000000+00:00: StackExchange.Redis.RedisConnectionException).",
            second.Message);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(TwinStoreCircuitState.Open, _circuit.State);
        Assert.Equal(1, _log.Count("Twin store circuit opened: the store is not reachable (StackExchange.Redis.RedisConnectionException); its operations fail at once, probing every 00:00:01"));

        // What the operations throw names the cause's type only; the log keeps the failure that opened the circuit whole.
        var logged = Assert.IsType<RedisStorageException>(Assert.Single(_log.Exceptions));
        Assert.Contains("The message timed out in the backlog", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_VersionConflictOrBadData_PassUnchangedAndStayClosed()
    {
        var conflict = new InconsistentStateException("Version conflict");
        var corrupt = new RedisStorageException("Failed to read grain state for twin. System.Text.Json.JsonException: bad data");

        Assert.Same(conflict, await Assert.ThrowsAsync<InconsistentStateException>(() => new ThrottledGrainStorage(new ScriptedStorage(conflict), 2, _circuit).WriteStateAsync("twin", Grain, new GrainState<int>())));
        Assert.Same(corrupt, await Assert.ThrowsAsync<RedisStorageException>(() => new ThrottledGrainStorage(new ScriptedStorage(corrupt), 2, _circuit).ReadStateAsync("twin", Grain, new GrainState<int>())));

        Assert.Equal(TwinStoreCircuitState.Closed, _circuit.State);
        var healthy = new ScriptedStorage(null);
        await new ThrottledGrainStorage(healthy, 2, _circuit).WriteStateAsync("twin", Grain, new GrainState<int>());
        Assert.Equal(1, healthy.Calls);
    }

    [Fact]
    public async Task Open_ManyConcurrentOperations_FailAtOnceWithoutCallOrSlot()
    {
        var inner = new ScriptedStorage(null);
        var storage = new ThrottledGrainStorage(inner, 1, _circuit);
        _circuit.ReportUnreachable("StackExchange.Redis.RedisConnectionException");

        var operations = Enumerable.Range(0, 1000).Select(i => Task.Run(() => (i % 3) switch
        {
            0 => storage.ReadStateAsync("twin", Grain, new GrainState<int>()),
            1 => storage.WriteStateAsync("twin", Grain, new GrainState<int>()),
            _ => storage.ClearStateAsync("twin", Grain, new GrainState<int>()),
        })).ToList();
        await Task.WhenAll(operations).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.All(operations, o => Assert.IsType<TwinStoreUnavailableException>(o.Exception?.InnerException));
        Assert.Equal(0, inner.Calls);
        Assert.Equal(0, _probe.Calls);
    }

    [Fact]
    public async Task Opening_OperationsWaitingForASlot_FailAtOnce()
    {
        var inner = new ScriptedStorage(null) { Gate = new TaskCompletionSource() };
        var storage = new ThrottledGrainStorage(inner, 1, _circuit);
        var holding = storage.WriteStateAsync("twin", Grain, new GrainState<int>());
        var waiting = Enumerable.Range(0, 100).Select(_ => storage.WriteStateAsync("twin", Grain, new GrainState<int>())).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        _circuit.ReportUnreachable("StackExchange.Redis.RedisTimeoutException");

        foreach (var waiter in waiting)
        {
            var exception = await Assert.ThrowsAsync<TwinStoreUnavailableException>(() => waiter);
            Assert.StartsWith("Writing state 'twin' of devicetwin/a failed at once", exception.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, inner.Calls);
        inner.Gate.SetResult();
        await holding;
    }

    [Fact]
    public void Open_BeforeProbeInterval_NoProbe()
    {
        _circuit.ReportUnreachable("StackExchange.Redis.RedisConnectionException");

        _time.Advance(Interval - TimeSpan.FromTicks(1));

        Assert.Equal(0, _probe.Calls);
        Assert.Equal(TwinStoreCircuitState.Open, _circuit.State);
    }

    [Fact]
    public async Task Open_ProbeSucceedsAfterInterval_ClosesAndLogsOutage()
    {
        var inner = new ScriptedStorage(null);
        var storage = new ThrottledGrainStorage(inner, 2, _circuit);
        _circuit.ReportUnreachable("StackExchange.Redis.RedisConnectionException");
        _time.Advance(TimeSpan.FromMilliseconds(400));
        _probe.Next = Task.CompletedTask;

        _time.Advance(Interval);

        Assert.Equal(1, _probe.Calls);
        Assert.Equal(TwinStoreCircuitState.Closed, _circuit.State);
        Assert.Null(_circuit.Outage);
        Assert.Equal(1, _log.Count("Twin store circuit closed: the store answers again after an outage of 00:00:01.4000000"));
        await storage.ReadStateAsync("twin", Grain, new GrainState<int>());
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task HalfOpen_ProbeUnreachable_ReopensAndProbesAgainAfterInterval()
    {
        _circuit.ReportUnreachable("StackExchange.Redis.RedisConnectionException");
        _probe.Next = Task.FromException(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "refused"));

        _time.Advance(Interval);

        Assert.Equal(1, _probe.Calls);
        Assert.Equal(TwinStoreCircuitState.Open, _circuit.State);
        await Assert.ThrowsAsync<TwinStoreUnavailableException>(() => new ThrottledGrainStorage(new ScriptedStorage(null), 2, _circuit).ReadStateAsync("twin", Grain, new GrainState<int>()));

        _probe.Next = Task.CompletedTask;
        _time.Advance(Interval - TimeSpan.FromTicks(1));
        Assert.Equal(1, _probe.Calls);
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(2, _probe.Calls);
        Assert.Equal(TwinStoreCircuitState.Closed, _circuit.State);
        Assert.Equal(1, _log.Count("Twin store circuit closed: the store answers again after an outage of 00:00:02"));
        Assert.Equal(1, _log.Count(m => m.StartsWith("Twin store circuit opened", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HalfOpen_ProbeInFlight_OnlyOneProbeAndOperationsFailAtOnce()
    {
        var inner = new ScriptedStorage(null);
        var storage = new ThrottledGrainStorage(inner, 4, _circuit);
        _circuit.ReportUnreachable("StackExchange.Redis.RedisConnectionException");
        var ping = new TaskCompletionSource();
        _probe.Next = ping.Task;
        _time.Advance(Interval);
        Assert.Equal(TwinStoreCircuitState.HalfOpen, _circuit.State);

        var operations = Enumerable.Range(0, 500).Select(_ => Task.Run(() => storage.WriteStateAsync("twin", Grain, new GrainState<int>()))).ToList();
        var probes = Enumerable.Range(0, 50).Select(_ => Task.Run(_circuit.ProbeAsync)).ToList();
        await Task.WhenAll(probes);
        _time.Advance(Interval * 5);
        await Task.WhenAll(operations).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal(1, _probe.Calls);
        Assert.Equal(0, inner.Calls);
        Assert.All(operations, o => Assert.IsType<TwinStoreUnavailableException>(o.Exception?.InnerException));

        ping.SetResult();

        Assert.Equal(TwinStoreCircuitState.Closed, _circuit.State);
        await storage.WriteStateAsync("twin", Grain, new GrainState<int>());
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Closed_AfterOutage_NextUnreachableFailureOpensAgain()
    {
        var storage = new ThrottledGrainStorage(new ScriptedStorage(new RedisTimeoutException("Timeout performing EVAL", CommandStatus.Sent)), 2, _circuit);
        _circuit.ReportUnreachable("StackExchange.Redis.RedisConnectionException");
        _probe.Next = Task.CompletedTask;
        _time.Advance(Interval);
        Assert.Equal(TwinStoreCircuitState.Closed, _circuit.State);

        var exception = await Assert.ThrowsAsync<TwinStoreUnavailableException>(() => storage.ReadStateAsync("twin", Grain, new GrainState<int>()));

        Assert.EndsWith("(StackExchange.Redis.RedisTimeoutException).", exception.Message, StringComparison.Ordinal);
        Assert.Equal(TwinStoreCircuitState.Open, _circuit.State);
        Assert.Equal(2, _log.Count(m => m.StartsWith("Twin store circuit opened", StringComparison.Ordinal)));
    }

    [Fact]
    public void Gauge_ReportsOneWhileOpenZeroWhenClosed()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var circuit = new TwinStoreCircuit(Interval, _probe.RunAsync, _time, _log, services.GetRequiredService<IMeterFactory>());
        using var listener = new MeterListener();
        var values = new List<int>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TwinMetrics.MeterName && instrument.Name == "devicetwins.twins.store_circuit_open")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => values.Add(value));
        listener.Start();

        listener.RecordObservableInstruments();
        circuit.ReportUnreachable("StackExchange.Redis.RedisConnectionException");
        listener.RecordObservableInstruments();
        _probe.Next = Task.CompletedTask;
        _time.Advance(Interval);
        listener.RecordObservableInstruments();

        Assert.Equal([0, 1, 0], values);
    }

    /// <summary>The PING the circuit probes with: counts calls and returns <see cref="Next"/>.</summary>
    private sealed class ProbeScript
    {
        private int _calls;

        public Task Next { get; set; } = Task.FromException(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down"));

        public int Calls => Volatile.Read(ref _calls);

        public Task RunAsync()
        {
            Interlocked.Increment(ref _calls);
            return Next;
        }
    }

    /// <summary>Storage that fails with a given exception, or succeeds (after <see cref="Gate"/> when set), counting calls.</summary>
    private sealed class ScriptedStorage(Exception? failure) : IGrainStorage
    {
        private int _calls;

        public TaskCompletionSource? Gate { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run();

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run();

        private Task Run()
        {
            Interlocked.Increment(ref _calls);
            return failure is not null ? Task.FromException(failure) : Gate?.Task ?? Task.CompletedTask;
        }
    }

    /// <summary>Keeps every formatted log message.</summary>
    private sealed class CapturingLogger : ILogger<TwinStoreCircuit>
    {
        private readonly ConcurrentQueue<string> _messages = new();
        private readonly ConcurrentQueue<Exception?> _exceptions = new();

        public IReadOnlyList<Exception?> Exceptions => [.. _exceptions];

        public int Count(string message) => Count(m => m == message);

        public int Count(Func<string, bool> match) => _messages.Count(match);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _messages.Enqueue(formatter(state, exception));
            _exceptions.Enqueue(exception);
        }
    }
}
