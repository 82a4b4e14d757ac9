using DeviceTwins.Api.Configuration;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Configuration;

/// <summary>Validates <see cref="KafkaOptions"/>, naming the offending key.</summary>
/// <param name="fileExists">Checks the files the security settings name; the file system when null.</param>
public sealed partial class KafkaOptionsValidator(Func<string, bool>? fileExists = null) : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string s = KafkaOptions.SectionName;
        if (!options.UseEmbedded)
        {
            foreach (var server in options.BootstrapServers.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!HostPort().IsMatch(server))
                {
                    failures.Add($"{s}:{nameof(options.BootstrapServers)} must be host:port[,host:port...] (bad entry '{server}'); leave it empty for the embedded cluster.");
                }
            }
        }

        failures.AddRange(options.Security.Validate($"{s}:{nameof(options.Security)}", fileExists));
        if (options.UseEmbedded && options.Security.Protocol != Streaming.Kafka.Hosting.KafkaSecurityProtocol.Plaintext)
        {
            failures.Add($"{s}:{nameof(options.Security)}:Protocol {options.Security.Protocol} needs {s}:{nameof(options.BootstrapServers)}: the embedded cluster speaks plaintext only.");
        }

        var topics = options.TelemetryTopicList;
        if (topics.Count == 0)
        {
            failures.Add($"{s}:{nameof(options.TelemetryTopics)} needs at least one topic.");
        }

        foreach (var (key, topic) in topics.Select(t => (nameof(options.TelemetryTopics), t)).Append((nameof(options.DeadLetterTopic), options.DeadLetterTopic))
                     .Append((nameof(options.AlertsTopic), options.AlertsTopic)).Append((nameof(options.AggregatesTopic), options.AggregatesTopic)).Append((nameof(options.DesiredTopic), options.DesiredTopic)).Append((nameof(options.AuditTopic), options.AuditTopic)).Append((nameof(options.CommandsTopic), options.CommandsTopic)).Append((nameof(options.CommandEventsTopic), options.CommandEventsTopic)))
        {
            if (!AlertStreamOptionsValidator.IsTopicName(topic))
            {
                failures.Add($"{s}:{key} has an invalid topic name '{topic}' (1-249 characters from A-Z, a-z, 0-9, '.', '_', '-').");
            }
        }

        var outputs = new[] { options.DeadLetterTopic, options.AlertsTopic, options.AggregatesTopic, options.DesiredTopic, options.AuditTopic, options.CommandsTopic, options.CommandEventsTopic };
        if (topics.Intersect(outputs, StringComparer.Ordinal).Any() || outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Length || topics.Distinct(StringComparer.Ordinal).Count() != topics.Count)
        {
            failures.Add($"{s}: telemetry, dead-letter, alert, aggregate, desired, audit, command and command event topics must all be different.");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            failures.Add($"{s}:{nameof(options.ConsumerGroup)} is required.");
        }

        if (options.TelemetryPartitions is < 1 or > 10_000)
        {
            failures.Add($"{s}:{nameof(options.TelemetryPartitions)} must be between 1 and 10000.");
        }

        if (options.OutputPartitions is < 1 or > 10_000)
        {
            failures.Add($"{s}:{nameof(options.OutputPartitions)} must be between 1 and 10000.");
        }

        if (options.ReplicationFactor < 1)
        {
            failures.Add($"{s}:{nameof(options.ReplicationFactor)} must be at least 1.");
        }

        if (options.TelemetryRetention <= TimeSpan.Zero || options.OutputRetention <= TimeSpan.Zero)
        {
            failures.Add($"{s}:{nameof(options.TelemetryRetention)} and {s}:{nameof(options.OutputRetention)} must be positive.");
        }

        if (options.EmbeddedBrokers is < 1 or > 9)
        {
            failures.Add($"{s}:{nameof(options.EmbeddedBrokers)} must be between 1 and 9.");
        }

        ValidateControlUrls(options, failures);

        if (options.MaxRecordsPerRead is < 1 or > 1_000_000)
        {
            failures.Add($"{s}:{nameof(options.MaxRecordsPerRead)} must be between 1 and 1000000.");
        }

        if (options.DeliveryRetryMaxDelay < TimeSpan.FromMilliseconds(100) || options.DeliveryRetryMaxDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{s}:{nameof(options.DeliveryRetryMaxDelay)} must be between 00:00:00.100 and 00:05:00.");
        }

        if (options.ReadPeriod < TimeSpan.FromMilliseconds(1) || options.ReadPeriod > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{s}:{nameof(options.ReadPeriod)} must be between 00:00:00.001 and 00:00:01.");
        }

        if (options.FetchWaitMax is { } wait && (wait < TimeSpan.FromMilliseconds(1) || wait > TimeSpan.FromSeconds(30)))
        {
            failures.Add($"{s}:{nameof(options.FetchWaitMax)} must be between 00:00:00.001 and 00:00:30.");
        }

        if (options.CommitInterval < TimeSpan.FromMilliseconds(10) || options.CommitInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{s}:{nameof(options.CommitInterval)} must be between 00:00:00.010 and 00:10:00.");
        }

        if (options.SiloCacheCapacity < options.MaxRecordsPerRead || options.SiloCacheCapacity > 100_000_000)
        {
            failures.Add($"{s}:{nameof(options.SiloCacheCapacity)} must be between {s}:{nameof(options.MaxRecordsPerRead)} and 100000000.");
        }

        if (options.CacheCapacity < options.MaxRecordsPerRead)
        {
            failures.Add($"{s}:{nameof(options.CacheCapacity)} must be at least {s}:{nameof(options.MaxRecordsPerRead)}.");
        }

        if (options.SiloNewStreamCapacity is < 1 or > 1_000_000)
        {
            failures.Add($"{s}:{nameof(options.SiloNewStreamCapacity)} must be between 1 and 1000000.");
        }

        if (options.StreamInactivityPeriod < TimeSpan.FromSeconds(1) || options.StreamInactivityPeriod > TimeSpan.FromDays(1))
        {
            failures.Add($"{s}:{nameof(options.StreamInactivityPeriod)} must be between 00:00:01 and 1.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The control API injects faults without authentication, so it must never listen beyond this machine.
    private static void ValidateControlUrls(KafkaOptions options, List<string> failures)
    {
        var key = $"{KafkaOptions.SectionName}:{nameof(options.EmbeddedControlUrls)}";
        var urls = options.EmbeddedControlUrlList;
        if (urls.Count == 0)
        {
            failures.Add($"{key} is required (e.g. http://127.0.0.1:0).");
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
            {
                failures.Add($"{key} has an invalid URL '{url}' (expected http://127.0.0.1:port).");
            }
            else if (!IsLoopback(uri))
            {
                failures.Add($"{key} must listen on a loopback address (127.0.0.1, [::1] or localhost), not '{uri.Host}'.");
            }
            else if (uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns && uri.Port == 0)
            {
                failures.Add($"{key}: 'localhost' cannot take port 0; use http://127.0.0.1:0 for a free port.");
            }
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.HostNameType == UriHostNameType.Dns
            ? string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            : System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address);

    [GeneratedRegex(@"^[A-Za-z0-9.\-]+:\d{1,5}$")]
    private static partial Regex HostPort();
}
