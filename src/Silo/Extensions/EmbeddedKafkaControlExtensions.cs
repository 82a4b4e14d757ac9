using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Streaming.Kafka.Embedded;

namespace DeviceTwins.Silo.Extensions;

/// <summary>Composition of the standalone embedded cluster's control API (the "embedded-kafka" command only).</summary>
public static class EmbeddedKafkaControlExtensions
{
    /// <summary>Listens on the loopback <see cref="KafkaOptions.EmbeddedControlUrls"/> and registers the cluster and its metadata reader.</summary>
    public static WebApplicationBuilder AddEmbeddedKafkaControl(this WebApplicationBuilder builder, EmbeddedKafkaCluster cluster, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        builder.WebHost.UseUrls([.. options.EmbeddedControlUrlList]);
        builder.Services.AddSingleton(cluster);
        builder.Services.AddSingleton<EmbeddedKafkaMetadata>();
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>Maps the control endpoints; malformed route values and unexpected failures answer with problem details too.</summary>
    public static WebApplication MapEmbeddedKafkaControl(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapEmbeddedKafkaControlApi();
        return app;
    }
}
