using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>
/// Makes the copiers inside Orleans' stream consumer extension proxies one per silo. Orleans keeps two such proxies per
/// consumer activation (its pulling agent's and its pub/sub's), and each proxy makes its own copier of the stream's
/// sequence token and handshake token (the latter with a sequence token copier of its own): three objects, 72 bytes,
/// per proxy. The generated proxy asks the service provider first, so a singleton registration is what it gets. These
/// copiers hold nothing but other copiers; a type that holds anything else, or is not found, is left alone.
/// </summary>
internal static class StreamProxyCopiers
{
    internal static readonly string[] TypeNames =
    [
        "OrleansCodeGen.Orleans.Streams.Copier_StreamSequenceToken",
        "OrleansCodeGen.Orleans.Streams.Copier_StreamHandshakeToken",
    ];

    /// <summary>Registers each stateless copier found as a singleton; returns how many were registered or were already.</summary>
    public static int Share(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var streaming = typeof(Orleans.Hosting.SiloBuilderStreamingExtensions).Assembly;
        var shared = 0;
        foreach (var name in TypeNames)
        {
            if (streaming.GetType(name) is { IsClass: true, IsAbstract: false } type && IsStateless(type))
            {
                services.TryAddSingleton(type);
                shared++;
            }
        }

        return shared;
    }

    private static bool IsStateless(Type type) => type
        .GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .All(field => field.IsInitOnly && field.FieldType.Name.StartsWith("Copier_", StringComparison.Ordinal) && field.FieldType.Namespace == type.Namespace && IsStateless(field.FieldType));
}
