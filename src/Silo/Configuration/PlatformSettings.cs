using DeviceTwins.Analytics;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Simulator;

namespace DeviceTwins.Silo.Configuration;

/// <summary>Every platform setting, bound and validated before the host is built.</summary>
public sealed record PlatformSettings(
    KafkaOptions Kafka,
    RedisOptions Redis,
    OrleansOptions Orleans,
    ApiOptions Api,
    TelemetryOptions Telemetry,
    AnalyticsOptions Analytics,
    bool SimulatorEnabled)
{
    /// <summary>Binds and validates all sections; throws one exception naming every bad key.</summary>
    public static PlatformSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var failures = new List<string>();
        var kafka = ConfigurationValidation.BindAndValidate(configuration, KafkaOptions.SectionName, new KafkaOptionsValidator(), failures);
        var redis = ConfigurationValidation.BindAndValidate(configuration, RedisOptions.SectionName, new RedisOptionsValidator(), failures);
        var orleans = ConfigurationValidation.BindAndValidate(configuration, OrleansOptions.SectionName, new OrleansOptionsValidator(), failures);
        var api = ConfigurationValidation.BindAndValidate(configuration, ApiOptions.SectionName, new ApiOptionsValidator(), failures);
        var telemetry = ConfigurationValidation.BindAndValidate(configuration, TelemetryOptions.SectionName, new TelemetryOptionsValidator(), failures);
        var analytics = ConfigurationValidation.BindAndValidate(configuration, AnalyticsOptions.Section, new AnalyticsOptionsValidator(), failures);
        bool? simulator = null;
        try
        {
            simulator = configuration.GetValue<bool?>($"{SimulatorOptions.SectionName}:{nameof(SimulatorOptions.Enabled)}");
        }
        catch (InvalidOperationException exception)
        {
            failures.Add(exception.Message);
        }

        ConfigurationValidation.ThrowIfAny(failures);

        // The simulated fleet runs by default only on the embedded cluster, never against a real one unless asked.
        return new PlatformSettings(kafka, redis, orleans, api, telemetry, analytics, simulator ?? kafka.UseEmbedded);
    }
}
