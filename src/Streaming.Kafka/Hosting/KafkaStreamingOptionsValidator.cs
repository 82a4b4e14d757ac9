using Microsoft.Extensions.Options;

namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>Validates <see cref="KafkaStreamingOptions"/>, naming the offending setting.</summary>
public sealed class KafkaStreamingOptionsValidator : IValidateOptions<KafkaStreamingOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaStreamingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var prefix = $"Kafka stream provider '{name}':";
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            failures.Add($"{prefix} {nameof(options.BootstrapServers)} is required.");
        }

        if (options.Topics.Count == 0 || options.Topics.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{prefix} {nameof(options.Topics)} needs at least one topic and no empty names.");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            failures.Add($"{prefix} {nameof(options.ConsumerGroup)} is required.");
        }

        if (string.IsNullOrWhiteSpace(options.DeadLetterTopic))
        {
            failures.Add($"{prefix} {nameof(options.DeadLetterTopic)} is required.");
        }
        else if (options.Topics.Contains(options.DeadLetterTopic, StringComparer.Ordinal))
        {
            failures.Add($"{prefix} {nameof(options.DeadLetterTopic)} '{options.DeadLetterTopic}' must not be one of the topics read.");
        }

        if (options.MaxRecordsPerRead < 1)
        {
            failures.Add($"{prefix} {nameof(options.MaxRecordsPerRead)} must be at least 1.");
        }

        if (options.CacheCapacity < options.MaxRecordsPerRead)
        {
            failures.Add($"{prefix} {nameof(options.CacheCapacity)} must be at least {nameof(options.MaxRecordsPerRead)} ({options.MaxRecordsPerRead}).");
        }

        if (options.SiloCacheCapacity < options.MaxRecordsPerRead)
        {
            failures.Add($"{prefix} {nameof(options.SiloCacheCapacity)} must be at least {nameof(options.MaxRecordsPerRead)} ({options.MaxRecordsPerRead}).");
        }

        if (options.SiloNewStreamCapacity < 1)
        {
            failures.Add($"{prefix} {nameof(options.SiloNewStreamCapacity)} must be at least 1.");
        }

        if (options.StreamInactivityPeriod < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{prefix} {nameof(options.StreamInactivityPeriod)} must be at least 1 s.");
        }

        if (options.MaxPrefetchKilobytes < 1)
        {
            failures.Add($"{prefix} {nameof(options.MaxPrefetchKilobytes)} must be at least 1.");
        }

        if (options.ReadPeriod < TimeSpan.FromMilliseconds(1) || options.ReadPeriod > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{prefix} {nameof(options.ReadPeriod)} must be between 1 ms and 1 s.");
        }

        if (options.FetchWaitMax < TimeSpan.FromMilliseconds(1) || options.FetchWaitMax > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{prefix} {nameof(options.FetchWaitMax)} must be between 1 ms and 30 s.");
        }

        if (options.CommitInterval < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{prefix} {nameof(options.CommitInterval)} must be at least 10 ms.");
        }

        if (options.DeliveryRetryMaxDelay < TimeSpan.FromMilliseconds(100) || options.DeliveryRetryMaxDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{prefix} {nameof(options.DeliveryRetryMaxDelay)} must be between 100 ms and 5 min.");
        }

        if (options.MaxDeliveryTime <= TimeSpan.Zero)
        {
            failures.Add($"{prefix} {nameof(options.MaxDeliveryTime)} must be positive.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix} {nameof(options.OperationTimeout)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
