namespace DeviceTwins.Mqtt;

/// <summary>
/// The topics of one device: it publishes telemetry on <c>devices/{id}/telemetry</c> and command results on
/// <c>devices/{id}/commands/{commandId}/result</c>, and subscribes to <c>devices/{id}/commands</c>. Nothing else.
/// </summary>
public static class MqttTopics
{
    /// <summary>The telemetry topic of <paramref name="deviceId"/>.</summary>
    public static string Telemetry(string deviceId) => $"devices/{deviceId}/telemetry";

    /// <summary>The topic <paramref name="deviceId"/> receives its commands on.</summary>
    public static string Commands(string deviceId) => $"devices/{deviceId}/commands";

    /// <summary>The topic <paramref name="deviceId"/> answers <paramref name="commandId"/> on.</summary>
    public static string Result(string deviceId, string commandId) => $"devices/{deviceId}/commands/{commandId}/result";

    /// <summary>What a publish of <paramref name="deviceId"/> on <paramref name="topic"/> is; <paramref name="commandId"/> for a result.</summary>
    public static MqttPublishKind Classify(string deviceId, string topic, out string? commandId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(topic);
        commandId = null;
        var prefix = "devices/" + deviceId + "/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return MqttPublishKind.Refused;
        }

        var rest = topic.AsSpan(prefix.Length);
        if (rest.SequenceEqual("telemetry"))
        {
            return MqttPublishKind.Telemetry;
        }

        const string commands = "commands/";
        const string result = "/result";
        if (rest.StartsWith(commands) && rest.EndsWith(result) && rest.Length > commands.Length + result.Length)
        {
            var id = rest[commands.Length..^result.Length];
            if (id.Length <= 64 && id.IndexOfAny('/', '+', '#') < 0)
            {
                commandId = id.ToString();
                return MqttPublishKind.CommandResult;
            }
        }

        return MqttPublishKind.Refused;
    }

    /// <summary>Whether <paramref name="deviceId"/> may subscribe to <paramref name="filter"/>: its own commands topic only.</summary>
    public static bool MaySubscribe(string deviceId, string filter) => string.Equals(filter, Commands(deviceId), StringComparison.Ordinal);
}
