using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Mqtt;

/// <summary>Registration of the MQTT bridge.</summary>
public static class MqttBridgeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the bridge (section "Mqtt", then <paramref name="configure"/>) with its Kafka producer, command delivery and
    /// credential checks; it needs an <c>IGrainFactory</c> (a silo's or a cluster client's). The Kafka clients start from
    /// <paramref name="clientSettings"/> (security settings).
    /// </summary>
    public static IServiceCollection AddMqttBridge(this IServiceCollection services, Action<MqttBridgeOptions>? configure, IReadOnlyDictionary<string, string> clientSettings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(clientSettings);
        var builder = services.AddOptions<MqttBridgeOptions>().BindConfiguration(MqttBridgeOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MqttBridgeOptions>, MqttBridgeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<MqttBridgeMetrics>();
        services.TryAddSingleton(sp => new BridgeProducer(sp.GetRequiredService<IOptions<MqttBridgeOptions>>().Value, clientSettings));
        services.TryAddSingleton<MqttBridge>();
        // The delivery consumer is in place before the listeners open.
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<CommandDeliveryService>(sp, clientSettings));
        services.AddHostedService(sp => sp.GetRequiredService<MqttBridge>());
        services.AddHostedService<CredentialCheckService>();
        return services;
    }
}
