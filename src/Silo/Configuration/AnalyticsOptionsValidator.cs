using DeviceTwins.Analytics;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Configuration;

/// <summary>Validates the "Analytics" section: windows, alert lifecycle and every rule's detector parameters.</summary>
public sealed class AnalyticsOptionsValidator : IValidateOptions<AnalyticsOptions>
{
    public ValidateOptionsResult Validate(string? name, AnalyticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
