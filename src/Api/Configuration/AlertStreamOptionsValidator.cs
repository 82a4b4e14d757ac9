using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Configuration;

/// <summary>Validates <see cref="AlertStreamOptions"/>, naming the offending key (the stand-alone API has no other check of them).</summary>
public sealed partial class AlertStreamOptionsValidator : IValidateOptions<AlertStreamOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IsTopicName(options.AlertsTopic))
        {
            failures.Add($"{AlertStreamOptions.SectionName}:{nameof(options.AlertsTopic)} must be a Kafka topic name: 1-249 letters, digits, '.', '_' or '-'.");
        }

        foreach (var server in (options.BootstrapServers ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            {
                failures.Add($"{AlertStreamOptions.SectionName}:{nameof(options.BootstrapServers)} has an invalid server '{server}' (expected host:port).");
            }
        }

        failures.AddRange(options.Security.Validate($"{AlertStreamOptions.SectionName}:{nameof(options.Security)}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether <paramref name="topic"/> is a legal Kafka topic name: 1-249 letters, digits, '.', '_' or '-'.</summary>
    public static bool IsTopicName(string? topic) => TopicName().IsMatch(topic ?? string.Empty);

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}
