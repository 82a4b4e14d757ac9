using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Configuration;

/// <summary>Validates <see cref="ApiLimitOptions"/>, naming the offending key.</summary>
public sealed class ApiLimitOptionsValidator : IValidateOptions<ApiLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Positive(failures, nameof(options.MaxStreams), options.MaxStreams);
        Positive(failures, nameof(options.MaxStreamsPerCredential), options.MaxStreamsPerCredential);
        Positive(failures, nameof(options.StreamBuffer), options.StreamBuffer);
        Positive(failures, nameof(options.MaxCatchUpReaders), options.MaxCatchUpReaders);
        Positive(failures, nameof(options.RequestBurst), options.RequestBurst);
        if (options.AlertReplayPerPartition < 0)
        {
            failures.Add($"{ApiLimitOptions.SectionName}:{nameof(options.AlertReplayPerPartition)} must be 0 or more.");
        }

        if (options.RequestsPerSecond < 0)
        {
            failures.Add($"{ApiLimitOptions.SectionName}:{nameof(options.RequestsPerSecond)} must be 0 (off) or more.");
        }

        if (options.MaxStreamsPerCredential > options.MaxStreams)
        {
            failures.Add($"{ApiLimitOptions.SectionName}:{nameof(options.MaxStreamsPerCredential)} cannot exceed {nameof(options.MaxStreams)} ({options.MaxStreams}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, int value)
    {
        if (value < 1)
        {
            failures.Add($"{ApiLimitOptions.SectionName}:{key} must be at least 1.");
        }
    }
}
