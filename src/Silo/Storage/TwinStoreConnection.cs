using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The Redis connection of the twin store, kept when Orleans' Redis grain storage creates it, so that the
/// <see cref="TwinStoreCircuit"/> probes through the very connection the store's operations use.
/// </summary>
public sealed class TwinStoreConnection
{
    private volatile IConnectionMultiplexer? _multiplexer;

    /// <summary>The store's connection once made; null before.</summary>
    public IConnectionMultiplexer? Multiplexer => _multiplexer;

    /// <summary>Connects with <paramref name="options"/> and keeps the connection (the storage provider owns and disposes it).</summary>
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
}
