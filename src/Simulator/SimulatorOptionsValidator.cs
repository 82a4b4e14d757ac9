using Microsoft.Extensions.Options;

namespace DeviceTwins.Simulator;

/// <summary>Validates <see cref="SimulatorOptions"/>, naming the offending key.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.Devices is < 1 or > 10_000_000)
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.Devices)} must be between 1 and 10000000 (was {options.Devices}).");
        }

        if (!double.IsFinite(options.RatePerSecond) || options.RatePerSecond <= 0)
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.RatePerSecond)} must be a positive number (was {options.RatePerSecond}).");
        }

        if (string.IsNullOrWhiteSpace(options.Topic))
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.Topic)} is required.");
        }

        if (string.IsNullOrWhiteSpace(options.DevicePrefix))
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.DevicePrefix)} is required.");
        }

        if (options.Transport == SimulatorTransport.Mqtt)
        {
            if (options.MqttPort is < 1 or > 65_535)
            {
                failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.MqttPort)} must be a port (was {options.MqttPort}).");
            }

            if (options.IssueCredential is null && (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(options.ApiKey)))
            {
                failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.Transport)} Mqtt needs {SimulatorOptions.SectionName}:{nameof(options.ApiUrl)} and {nameof(options.ApiKey)} (a write key) to issue the devices' credentials.");
            }
        }

        failures.AddRange(options.Security.Validate($"{SimulatorOptions.SectionName}:{nameof(options.Security)}"));
        if (options.MaxRecords < 0)
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.MaxRecords)} must not be negative.");
        }

        string[] metrics = ["temperature", "pressure", "humidity", "battery"];
        for (var i = 0; i < options.Anomalies.Count; i++)
        {
            var anomaly = options.Anomalies[i];
            var key = $"{SimulatorOptions.SectionName}:{nameof(options.Anomalies)}:{i}";
            if (!Enum.IsDefined(anomaly.Kind))
            {
                failures.Add($"{key}:Kind must be one of {string.Join(", ", Enum.GetNames<AnomalyKind>())}.");
            }

            if (anomaly.Devices.Count == 0 || anomaly.Devices.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{key}:Devices must name at least one device id.");
            }

            if (anomaly.Kind != AnomalyKind.Dropout && !metrics.Contains(anomaly.Metric, StringComparer.Ordinal))
            {
                failures.Add($"{key}:Metric must be one of {string.Join(", ", metrics)} (was '{anomaly.Metric}').");
            }

            if (anomaly.Start < TimeSpan.Zero || anomaly.Duration <= TimeSpan.Zero)
            {
                failures.Add($"{key}: Start must not be negative and Duration must be positive.");
            }

            if (!double.IsFinite(anomaly.Magnitude))
            {
                failures.Add($"{key}:Magnitude must be a finite number.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
