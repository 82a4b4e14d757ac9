using DeviceTwins.Grains.Interfaces;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The Redis connection of the twin store, made by <see cref="RedisTwinStorage"/> when the silo starts and shared by
/// everything the twin store holds (states, histories, the wake index), so that the <see cref="TwinStoreCircuit"/>
/// probes through the very connection the store's operations use.
/// </summary>
public sealed class TwinStoreConnection
{
    private volatile IConnectionMultiplexer? _multiplexer;

    /// <summary>The store's connection once made; null before.</summary>
    public IConnectionMultiplexer? Multiplexer => _multiplexer;

    /// <summary>Connects with <paramref name="options"/> and keeps the connection (the storage owns and disposes it).</summary>
    public async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        _multiplexer = multiplexer;
        return multiplexer;
    }

    /// <summary>PINGs Redis through the store's connection; throws when Redis does not answer.</summary>
    public async Task PingAsync()
    {
        var multiplexer = _multiplexer ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "The twin store has not connected yet.");
        await multiplexer.GetDatabase().PingAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command of the twin store: at once refused while <paramref name="circuit"/> is open, and failing as
    /// <see cref="TwinStoreUnavailableException"/> (opening the circuit) when Redis is unreachable.
    /// </summary>
    public async Task<T> RunAsync<T>(string what, TwinStoreCircuit? circuit, Func<IDatabase, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        circuit?.ThrowIfOpen(what);
        var multiplexer = _multiplexer ?? throw new TwinStoreUnavailableException($"{what} failed: the twin store has not connected yet.");
        try
        {
            return await run(multiplexer.GetDatabase()).ConfigureAwait(false);
        }
        catch (Exception exception) when (TwinStoreFailures.UnreachableCause(exception) is { } cause)
        {
            circuit?.ReportUnreachable(cause, exception);
            throw new TwinStoreUnavailableException($"{what} failed: the twin store is not reachable ({cause}).");
        }
    }
}
