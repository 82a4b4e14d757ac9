using DeviceTwins.Grains.Wake;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Configuration;

/// <summary>Validates <see cref="TwinWakeOptions"/>, naming the offending key.</summary>
public sealed class TwinWakeOptionsValidator : IValidateOptions<TwinWakeOptions>
{
    public ValidateOptionsResult Validate(string? name, TwinWakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = TwinWakeOptions.SectionName;
        var failures = new List<string>();
        if (options.Shards is < 1 or > 4096)
        {
            failures.Add($"{section}:{nameof(options.Shards)} must be between 1 and 4096.");
        }

        if (options.SweepInterval < TimeSpan.FromMilliseconds(100) || options.SweepInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{section}:{nameof(options.SweepInterval)} must be between 00:00:00.100 and 00:10:00.");
        }

        if (options.Grace < TimeSpan.Zero || options.Grace > TimeSpan.FromHours(1))
        {
            failures.Add($"{section}:{nameof(options.Grace)} must be between 00:00:00 and 01:00:00.");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            failures.Add($"{section}:{nameof(options.BatchSize)} must be between 1 and 100000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
