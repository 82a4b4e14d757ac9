using DeviceTwins.Api.Security;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.UnitTests.Security;

/// <summary>The per-request handlers' logger factory: one logger per category, made by the host's factory once.</summary>
public sealed class CachedLoggerFactoryTests
{
    [Fact]
    public void CreateLogger_MakesEachCategoryOnce_AndDisposingLeavesTheHostsFactoryAlone()
    {
        using var host = new CountingFactory();
        var factory = new CachedLoggerFactory(host);

        var first = factory.CreateLogger("DeviceTwins.Api.Security.ApiKeyAuthenticationHandler");
        var again = factory.CreateLogger("DeviceTwins.Api.Security.ApiKeyAuthenticationHandler");
        var other = factory.CreateLogger("Other");

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(["DeviceTwins.Api.Security.ApiKeyAuthenticationHandler", "Other"], host.Created);
        factory.Dispose();
        Assert.False(host.Disposed);
    }

    private sealed class CountingFactory : ILoggerFactory
    {
        public List<string> Created { get; } = [];

        public bool Disposed { get; private set; }

        public ILogger CreateLogger(string categoryName)
        {
            Created.Add(categoryName);
            return new LoggerFactory().CreateLogger(categoryName);
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose() => Disposed = true;
    }
}
