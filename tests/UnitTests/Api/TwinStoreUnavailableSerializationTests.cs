using DeviceTwins.Api.Apis;
using DeviceTwins.Grains.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace DeviceTwins.UnitTests.Api;

/// <summary>The storage failure a grain call returns crosses the wire intact, so the stand-alone API can answer 503.</summary>
public sealed class TwinStoreUnavailableSerializationTests
{
    [Fact]
    public void StorageFailure_RoundTripsThroughOrleansSerializer_AndStillMapsTo503()
    {
        using var provider = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = provider.GetRequiredService<Serializer>();
        var original = new OrleansException(
            "Error from storage provider ThrottledGrainStorage.twin during ReadStateAsync for grain devicetwin/a",
            new TwinStoreUnavailableException("Reading state 'twin' of devicetwin/a failed: the twin store is not reachable (StackExchange.Redis.RedisConnectionException)."));

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(original));

        var inner = Assert.IsType<TwinStoreUnavailableException>(Assert.IsType<OrleansException>(copy).InnerException);
        Assert.Equal(original.InnerException!.Message, inner.Message);
        Assert.Equal("The twin store is not reachable; retry later.", ServiceUnavailableExceptionHandler.Unavailable(copy)?.Detail);
    }
}
