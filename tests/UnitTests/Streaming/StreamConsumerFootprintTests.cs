using System.Collections.Concurrent;
using System.Reflection;
using DeviceTwins.Streaming.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace DeviceTwins.UnitTests.Streaming;

public sealed class StreamConsumerFootprintTests
{
    // What a dictionary of one lock and a capacity of one gets from the runtime (a prime number of buckets).
    private static readonly int SmallestBuckets = Buckets(new ConcurrentDictionary<string, int>(1, 1));

    [Fact]
    public void Compact_AfterOrleansSiloStreaming_DecoratesTheDirectoryAndTheConsumerExtension()
    {
        var services = new ServiceCollection();
        services.AddSiloStreaming();
        var extensionKey = typeof(SiloBuilderStreamingExtensions).Assembly.GetType(StreamConsumerFootprint.ExtensionInterfaceName)!;
        var directoryType = typeof(SiloBuilderStreamingExtensions).Assembly.GetType(StreamConsumerFootprint.DirectoryTypeName)!;
        var count = services.Count;

        Assert.True(StreamConsumerFootprint.Compact(services));
        Assert.True(StreamConsumerFootprint.Compact(services));

        // Replaced in place, and the second call wrapped nothing again: one marker more, no other registration.
        Assert.Equal(count + 1, services.Count);
        var extension = Assert.Single(services, d => d.IsKeyedService && Equals(d.ServiceKey, extensionKey));
        Assert.Equal(ServiceLifetime.Transient, extension.Lifetime);
        var directory = Assert.Single(services, d => !d.IsKeyedService && d.ServiceType == directoryType);
        Assert.Equal(ServiceLifetime.Scoped, directory.Lifetime);
        Assert.NotNull(directory.ImplementationFactory);
    }

    [Fact]
    public async Task Compact_TheDirectoryAnActivationScopeResolves_HoldsTheSmallestDictionary()
    {
        var services = new ServiceCollection();
        services.AddSiloStreaming();
        var directoryType = typeof(SiloBuilderStreamingExtensions).Assembly.GetType(StreamConsumerFootprint.DirectoryTypeName)!;
        Assert.Equal(Buckets(new ConcurrentDictionary<string, int>()), Buckets(DictionaryOf(Activator.CreateInstance(directoryType, nonPublic: true)!)));

        StreamConsumerFootprint.Compact(services);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();

        Assert.Equal(SmallestBuckets, Buckets(DictionaryOf(scope.ServiceProvider.GetRequiredService(directoryType))));
    }

    [Fact]
    public void Compact_WithoutOrleansStreaming_ChangesNothing()
    {
        var services = new ServiceCollection();

        Assert.False(StreamConsumerFootprint.Compact(services));
        Assert.Empty(services);
    }

    [Fact]
    public void Shrink_AnEmptyDictionary_IsReplacedByTheSmallestWorkingOne()
    {
        var holder = new OneDictionary();
        var before = holder.Items;

        StreamConsumerFootprint.Shrink(holder);

        Assert.NotSame(before, holder.Items);
        Assert.Equal(SmallestBuckets, Buckets(holder.Items));
        holder.Items["a"] = 1;
        holder.Items["b"] = 2;
        Assert.Equal(2, holder.Items["b"]);
        Assert.Equal(2, holder.Items.Count);
    }

    [Fact]
    public void Shrink_ADictionaryInUse_IsLeftAsItIs()
    {
        var holder = new OneDictionary();
        holder.Items["a"] = 1;
        var before = holder.Items;

        StreamConsumerFootprint.Shrink(holder);

        Assert.Same(before, holder.Items);
        Assert.Equal(1, holder.Items["a"]);
    }

    [Fact]
    public void Shrink_AnObjectWithTwoDictionaries_IsLeftAsItIs()
    {
        var holder = new TwoDictionaries();
        var (first, second) = (holder.First, holder.Second);

        StreamConsumerFootprint.Shrink(holder);

        Assert.Same(first, holder.First);
        Assert.Same(second, holder.Second);
    }

    private static object DictionaryOf(object instance) => instance.GetType()
        .GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        .Single(f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(ConcurrentDictionary<,>))
        .GetValue(instance)!;

    // The runtime's own layout (ConcurrentDictionary keeps its bucket array in _tables._buckets): what a dictionary holds
    // whatever its contents.
    private static int Buckets(object dictionary)
    {
        var tables = dictionary.GetType().GetField("_tables", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(dictionary)!;
        return ((Array)tables.GetType().GetField("_buckets", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(tables)!).Length;
    }

    private sealed class OneDictionary
    {
        private readonly ConcurrentDictionary<string, int> items = new();

        public ConcurrentDictionary<string, int> Items => items;
    }

    private sealed class TwoDictionaries
    {
        public ConcurrentDictionary<string, int> First { get; } = new();

        public ConcurrentDictionary<string, int> Second { get; } = new();
    }
}
