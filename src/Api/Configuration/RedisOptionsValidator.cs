using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DeviceTwins.Api.Configuration;

/// <summary>Validates <see cref="RedisOptions"/>, naming the offending key (the connection string itself is never echoed).</summary>
public sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxConcurrentOperations is < 1 or > 100_000)
        {
            return ValidateOptionsResult.Fail($"{RedisOptions.SectionName}:{nameof(options.MaxConcurrentOperations)} must be between 1 and 100000.");
        }

        if (options.CircuitProbeInterval < TimeSpan.FromMilliseconds(10) || options.CircuitProbeInterval > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail($"{RedisOptions.SectionName}:{nameof(options.CircuitProbeInterval)} must be between 00:00:00.010 and 00:05:00.");
        }

        if (options.ReplicaAcks is < 0 or > 5)
        {
            return ValidateOptionsResult.Fail($"{RedisOptions.SectionName}:{nameof(options.ReplicaAcks)} must be between 0 and 5.");
        }

        if (options.ReplicaAckTimeout < TimeSpan.FromMilliseconds(1) || options.ReplicaAckTimeout > TimeSpan.FromSeconds(10))
        {
            return ValidateOptionsResult.Fail($"{RedisOptions.SectionName}:{nameof(options.ReplicaAckTimeout)} must be between 00:00:00.001 and 00:00:10.");
        }

        if (options.ReplicaAckDeadline < options.ReplicaAckTimeout || options.ReplicaAckDeadline > TimeSpan.FromMinutes(1))
        {
            return ValidateOptionsResult.Fail($"{RedisOptions.SectionName}:{nameof(options.ReplicaAckDeadline)} must be between {nameof(options.ReplicaAckTimeout)} and 00:01:00.");
        }

        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            var parsed = ConfigurationOptions.Parse(options.ConnectionString);
            return parsed.EndPoints.Count == 0
                ? ValidateOptionsResult.Fail($"{RedisOptions.SectionName}:{nameof(options.ConnectionString)} names no endpoint.")
                : ValidateOptionsResult.Success;
        }
        catch (ArgumentException exception)
        {
            return ValidateOptionsResult.Fail($"{RedisOptions.SectionName}:{nameof(options.ConnectionString)} is not a valid Redis connection string: {exception.Message}");
        }
    }
}
