using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>
/// Shrinks what Orleans' streaming gives every consumer activation: its stream directory and its stream consumer extension each
/// hold one <see cref="ConcurrentDictionary{TKey,TValue}"/> made with the defaults (a lock per processor, 31 buckets), which is
/// 512 bytes on 2 cores and 1,016 on 16, for the one stream an activation of this provider subscribes to. Both are replaced, while
/// still empty, by a dictionary of one lock and one bucket (208 bytes). Orleans' types are internal, so they are found by name and
/// their dictionary by type; on an Orleans whose types differ nothing is replaced (<see cref="Compact"/> returns false).
/// </summary>
internal static class StreamConsumerFootprint
{
    internal const string ExtensionInterfaceName = "Orleans.Streams.IStreamConsumerExtension";
    internal const string DirectoryTypeName = "Orleans.Streams.StreamDirectory";

    private static readonly ConcurrentDictionary<Type, Action<object>?> Shrinkers = new();

    /// <summary>
    /// Decorates the registrations of Orleans' stream directory and stream consumer extension in <paramref name="services"/>
    /// (after Orleans' silo streaming is added); returns whether both were found. Safe to call more than once.
    /// </summary>
    public static bool Compact(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return true;
        }

        var streaming = typeof(Orleans.Hosting.SiloBuilderStreamingExtensions).Assembly;
        var extensionKey = streaming.GetType(ExtensionInterfaceName);
        var directoryType = streaming.GetType(DirectoryTypeName);
        var extension = extensionKey is null ? -1 : IndexOf(services, d => d.IsKeyedService && d.ServiceType == typeof(IGrainExtension) && Equals(d.ServiceKey, extensionKey) && d.KeyedImplementationFactory is not null);
        var directory = directoryType is null ? -1 : IndexOf(services, d => !d.IsKeyedService && d.ServiceType == directoryType && d.ImplementationType == directoryType);
        if (extension < 0 || directory < 0)
        {
            return false;
        }

        var original = services[extension];
        var create = original.KeyedImplementationFactory!;
        services[extension] = ServiceDescriptor.DescribeKeyed(typeof(IGrainExtension), original.ServiceKey, (sp, key) => Shrink(create(sp, key)), original.Lifetime);
        var lifetime = services[directory].Lifetime;
        services[directory] = ServiceDescriptor.Describe(directoryType!, sp => Shrink(ActivatorUtilities.CreateInstance(sp, directoryType!)), lifetime);
        services.AddSingleton<Marker>();
        return true;
    }

    /// <summary>Replaces the single, still empty, concurrent dictionary that <paramref name="instance"/> holds by a compact one.</summary>
    internal static T Shrink<T>(T instance)
        where T : class
    {
        Shrinkers.GetOrAdd(instance.GetType(), ShrinkerFor)?.Invoke(instance);
        return instance;
    }

    private static Action<object>? ShrinkerFor(Type type)
    {
        var fields = new List<FieldInfo>();
        for (var t = type; t is not null; t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(ConcurrentDictionary<,>)));
        }

        if (fields.Count != 1)
        {
            return null;
        }

        var field = fields[0];
        var constructor = field.FieldType.GetConstructor([typeof(int), typeof(int)]);
        if (constructor is null)
        {
            return null;
        }

        var create = Expression.Lambda<Func<object>>(Expression.New(constructor, Expression.Constant(1), Expression.Constant(1))).Compile();
        return instance =>
        {
            // Only a dictionary nothing was added to yet: the replacement happens as the object is made, before any stream uses it.
            if (field.GetValue(instance) is System.Collections.ICollection { Count: 0 })
            {
                field.SetValue(instance, create());
            }
        };
    }

    private static int IndexOf(IServiceCollection services, Func<ServiceDescriptor, bool> match)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (match(services[i]))
            {
                return i;
            }
        }

        return -1;
    }

    // Registered once the decoration is in place, so a second provider does not wrap the factories twice.
    private sealed class Marker;
}
