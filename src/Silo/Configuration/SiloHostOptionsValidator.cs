using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Configuration;

/// <summary>Validates <see cref="SiloHostOptions"/>, naming the offending key.</summary>
public sealed class SiloHostOptionsValidator : IValidateOptions<SiloHostOptions>
{
    /// <summary>Longest accepted shutdown timeout.</summary>
    public static readonly TimeSpan MaxShutdownTimeout = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ShutdownTimeout <= TimeSpan.Zero || options.ShutdownTimeout > MaxShutdownTimeout)
        {
            failures.Add($"{SiloHostOptions.SectionName}:{nameof(options.ShutdownTimeout)} must be above zero and at most {MaxShutdownTimeout}.");
        }

        if (options.ShedActivationsAbovePercent is not 0 and (< 20 or > 99))
        {
            failures.Add($"{SiloHostOptions.SectionName}:{nameof(options.ShedActivationsAbovePercent)} must be 0 (off) or between 20 and 99.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
