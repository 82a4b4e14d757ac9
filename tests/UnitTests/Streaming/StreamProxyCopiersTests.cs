using System.Reflection;
using DeviceTwins.Streaming.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.GeneratedCodeHelpers;
using Orleans.Serialization.Serializers;

namespace DeviceTwins.UnitTests.Streaming;

/// <summary>The copiers that each stream consumer extension proxy asks for are one per silo once shared.</summary>
public sealed class StreamProxyCopiersTests
{
    [Fact]
    public void Share_OnTheOrleansInUse_FindsBothCopiers_AndAProxysResolutionReturnsTheOneInstance()
    {
        using var before = Provider(share: false);
        using var after = Provider(share: true);

        foreach (var type in StreamProxyCopiers.TypeNames.Select(name => typeof(SiloBuilderStreamingExtensions).Assembly.GetType(name)!))
        {
            Assert.NotSame(Resolve(before, type), Resolve(before, type));
            Assert.Same(Resolve(after, type), Resolve(after, type));
        }
    }

    [Fact]
    public void Share_CalledTwice_RegistersEachCopierOnce()
    {
        var services = new ServiceCollection();

        Assert.Equal(2, StreamProxyCopiers.Share(services));
        Assert.Equal(2, StreamProxyCopiers.Share(services));

        Assert.Equal(2, services.Count);
        Assert.All(services, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
    }

    private static ServiceProvider Provider(bool share)
    {
        var services = new ServiceCollection();
        services.AddSerializer();
        if (share)
        {
            StreamProxyCopiers.Share(services);
        }

        return services.BuildServiceProvider();
    }

    // What a generated proxy's field initializer calls for each copier it holds.
    private static object Resolve(IServiceProvider provider, Type copier) => typeof(OrleansGeneratedCodeHelper)
        .GetMethod(nameof(OrleansGeneratedCodeHelper.GetService), BindingFlags.Public | BindingFlags.Static)!
        .MakeGenericMethod(copier)
        .Invoke(null, [new object(), provider.GetRequiredService<ICodecProvider>()])!;
}
