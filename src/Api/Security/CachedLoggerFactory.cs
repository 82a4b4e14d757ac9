using System.Collections.Concurrent;

namespace DeviceTwins.Api.Security;

/// <summary>
/// The loggers of handlers created per request, made once per category. ASP.NET Core builds an authentication handler
/// for every request, and its constructor asks the factory for its logger: <see cref="LoggerFactory"/> takes one
/// process-wide lock for that, which requests then queue on.
/// </summary>
public sealed class CachedLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, inner.CreateLogger);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The inner factory belongs to the host, which disposes it.
    public void Dispose()
    {
    }
}
