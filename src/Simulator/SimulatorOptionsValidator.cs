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

        if (options.MaxRecords < 0)
        {
            failures.Add($"{SimulatorOptions.SectionName}:{nameof(options.MaxRecords)} must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
