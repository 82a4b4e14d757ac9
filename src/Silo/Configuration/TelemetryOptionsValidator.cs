using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Configuration;

/// <summary>Validates <see cref="TelemetryOptions"/>, naming the offending key.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string s = TelemetryOptions.SectionName;
        if (options.MaxValueBytes is < 64 or > 16 * 1024 * 1024)
        {
            failures.Add($"{s}:{nameof(options.MaxValueBytes)} must be between 64 and 16777216.");
        }

        if (options.MaxMetrics is < 1 or > 10_000)
        {
            failures.Add($"{s}:{nameof(options.MaxMetrics)} must be between 1 and 10000.");
        }

        if (options.MaxFutureSkew < TimeSpan.Zero)
        {
            failures.Add($"{s}:{nameof(options.MaxFutureSkew)} must not be negative.");
        }

        if (options.MaxAge is { } age && age <= TimeSpan.Zero)
        {
            failures.Add($"{s}:{nameof(options.MaxAge)} must be positive when set.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
