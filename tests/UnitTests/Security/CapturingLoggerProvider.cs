using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.UnitTests.Security;

/// <summary>Keeps every formatted log message (and exception text) written through its loggers.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public ILogger<T> CreateLogger<T>() => new Logger<T>(new CapturingFactory(this));

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _messages.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : "\n" + exception));

    public void Dispose()
    {
    }

    private sealed class CapturingFactory(CapturingLoggerProvider provider) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => provider;

        public void Dispose()
        {
        }
    }
}
