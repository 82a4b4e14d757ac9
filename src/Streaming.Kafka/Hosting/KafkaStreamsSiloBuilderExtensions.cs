namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>Registers Kafka persistent stream providers on a silo.</summary>
public static class KafkaStreamsSiloBuilderExtensions
{
    /// <summary>Adds a Kafka stream provider named <paramref name="name"/>: one Orleans queue per partition of its topics.</summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, Action<SiloKafkaStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var configurator = new SiloKafkaStreamConfigurator(name, configureServices => builder.ConfigureServices(configureServices));
        configure(configurator);
        return builder;
    }
}
