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
        return options.ShutdownTimeout <= TimeSpan.Zero || options.ShutdownTimeout > MaxShutdownTimeout
            ? ValidateOptionsResult.Fail($"{SiloHostOptions.SectionName}:{nameof(options.ShutdownTimeout)} must be above zero and at most {MaxShutdownTimeout}.")
            : ValidateOptionsResult.Success;
    }
}
