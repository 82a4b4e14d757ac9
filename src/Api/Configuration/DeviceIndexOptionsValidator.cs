using DeviceTwins.Grains.Interfaces;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Configuration;

/// <summary>Validates <see cref="DeviceIndexOptions"/>, naming the offending key.</summary>
public sealed class DeviceIndexOptionsValidator : IValidateOptions<DeviceIndexOptions>
{
    public ValidateOptionsResult Validate(string? name, DeviceIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = DeviceIndexOptions.SectionName;
        var failures = new List<string>();
        if (options.Shards is < 1 or > 4096)
        {
            failures.Add($"{section}:{nameof(options.Shards)} must be between 1 and 4096.");
        }

        if (options.FlushInterval < TimeSpan.FromMilliseconds(10) || options.FlushInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{section}:{nameof(options.FlushInterval)} must be between 00:00:00.010 and 00:01:00.");
        }

        if (options.PersistInterval < TimeSpan.FromMilliseconds(100) || options.PersistInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{section}:{nameof(options.PersistInterval)} must be between 00:00:00.100 and 01:00:00.");
        }

        if (options.OfflineAfter < TimeSpan.FromSeconds(1) || options.OfflineAfter > TimeSpan.FromDays(365))
        {
            failures.Add($"{section}:{nameof(options.OfflineAfter)} must be between 00:00:01 and 365.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
