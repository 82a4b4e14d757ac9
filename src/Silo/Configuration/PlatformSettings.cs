using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Simulator;

namespace DeviceTwins.Silo.Configuration;

/// <summary>Every platform setting, bound and validated before the host is built.</summary>
public sealed record PlatformSettings(
    KafkaOptions Kafka,
    RedisOptions Redis,
    OrleansOptions Orleans,
    ApiOptions Api,
    TwinOptions Twin,
    TelemetryOptions Telemetry,
    AnalyticsOptions Analytics,
    SiloHostOptions Silo,
    bool SimulatorEnabled)
{
    /// <summary>
    /// Binds and validates all sections; throws one exception naming every bad key. Files named by the settings (the Kafka
    /// CA, client certificate and key) are checked with <paramref name="fileExists"/>, the file system when null.
    /// </summary>
    public static PlatformSettings Load(IConfiguration configuration, Func<string, bool>? fileExists = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var failures = new List<string>();
        var kafka = ConfigurationValidation.BindAndValidate(configuration, KafkaOptions.SectionName, new KafkaOptionsValidator(fileExists), failures);
        var redis = ConfigurationValidation.BindAndValidate(configuration, RedisOptions.SectionName, new RedisOptionsValidator(), failures);
        var orleans = ConfigurationValidation.BindAndValidate(configuration, OrleansOptions.SectionName, new OrleansOptionsValidator(), failures);
        var api = ConfigurationValidation.BindAndValidate(configuration, ApiOptions.SectionName, new ApiOptionsValidator(), failures);
        var twin = ConfigurationValidation.BindAndValidate(configuration, TwinOptions.SectionName, new TwinOptionsValidator(), failures);
        var telemetry = ConfigurationValidation.BindAndValidate(configuration, TelemetryOptions.SectionName, new TelemetryOptionsValidator(), failures);
        var analytics = ConfigurationValidation.BindAndValidate(configuration, AnalyticsOptions.Section, new AnalyticsOptionsValidator(), failures);
        var silo = ConfigurationValidation.BindAndValidate(configuration, SiloHostOptions.SectionName, new SiloHostOptionsValidator(), failures);
        // Bound again by the silo and the API through options; validated here so a bad value stops start-up (exit code 2).
        ConfigurationValidation.BindAndValidate(configuration, DeviceIndexOptions.SectionName, new DeviceIndexOptionsValidator(), failures);
        ConfigurationValidation.BindAndValidate(configuration, DeviceTwins.Grains.Wake.TwinWakeOptions.SectionName, new TwinWakeOptionsValidator(), failures);
        ConfigurationValidation.BindAndValidate(configuration, DeviceTwins.Api.Security.AuthOptions.SectionName, new DeviceTwins.Api.Security.AuthOptionsValidator(), failures);
        bool? simulator = null;
        try
        {
            simulator = configuration.GetValue<bool?>($"{SimulatorOptions.SectionName}:{nameof(SimulatorOptions.Enabled)}");
        }
        catch (InvalidOperationException exception)
        {
            failures.Add(exception.Message);
        }

        var demoRules = SimulatorRules(configuration, failures);
        ConfigurationValidation.ThrowIfAny(failures);

        // The simulated fleet runs by default only on the embedded cluster, never against a real one unless asked.
        var simulatorEnabled = simulator ?? kafka.UseEmbedded;
        if (simulatorEnabled)
        {
            // The fleet's demonstration rules come first, so configured rules of the same name override them.
            analytics.Rules.InsertRange(0, demoRules);
        }

        return new PlatformSettings(kafka, redis, orleans, api, twin, telemetry, analytics, silo, simulatorEnabled);
    }

    // Rules that show every detector on the simulated fleet ("Simulator:Rules"); a separate list, so that rules
    // configured under "Analytics:Rules" never merge with them index by index.
    private static List<RuleOptions> SimulatorRules(IConfiguration configuration, List<string> failures)
    {
        var rules = new List<RuleOptions>();
        try
        {
            configuration.GetSection($"{SimulatorOptions.SectionName}:Rules").Bind(rules);
        }
        catch (InvalidOperationException exception)
        {
            failures.Add(exception.Message);
            return rules;
        }

        var prefix = $"{AnalyticsOptions.Section}:Rules";
        failures.AddRange(new AnalyticsOptions { UseDefaultRules = false, Rules = rules }.Validate()
            .Select(f => f.StartsWith(prefix, StringComparison.Ordinal) ? $"{SimulatorOptions.SectionName}:Rules{f[prefix.Length..]}" : f));
        return rules;
    }
}
