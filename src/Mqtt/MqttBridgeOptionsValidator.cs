using Microsoft.Extensions.Options;

namespace DeviceTwins.Mqtt;

/// <summary>Validates <see cref="MqttBridgeOptions"/>, naming the key at fault.</summary>
public sealed class MqttBridgeOptionsValidator : IValidateOptions<MqttBridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttBridgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string s = MqttBridgeOptions.SectionName;
        var failures = new List<string>();
        if (!System.Net.IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"{s}:{nameof(options.BindAddress)} must be an IP address, not '{options.BindAddress}'.");
        }

        if (options.Port is < -1 or > 65_535)
        {
            failures.Add($"{s}:{nameof(options.Port)} must be a port (0 picks a free one, -1 turns the plain listener off).");
        }

        if (options.TlsPort is < 0 or > 65_535)
        {
            failures.Add($"{s}:{nameof(options.TlsPort)} must be a port (0 picks a free one).");
        }

        if (options.TlsCertificatePath.Length > 0 && !File.Exists(options.TlsCertificatePath))
        {
            failures.Add($"{s}:{nameof(options.TlsCertificatePath)} names no file: '{options.TlsCertificatePath}'.");
        }

        if (options.Port == -1 && options.TlsCertificatePath.Length == 0)
        {
            failures.Add($"{s}: with {nameof(options.Port)} -1 the bridge needs {nameof(options.TlsCertificatePath)} (else it listens nowhere).");
        }

        if (options.MaxPayloadBytes is < 256 or > 4 * 1024 * 1024)
        {
            failures.Add($"{s}:{nameof(options.MaxPayloadBytes)} must be 256 bytes to 4 MiB.");
        }

        if (options.CredentialCheckInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{s}:{nameof(options.CredentialCheckInterval)} must be at least 1 second.");
        }

        if (options.ProduceTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{s}:{nameof(options.ProduceTimeout)} must be at least 1 second.");
        }

        foreach (var (key, topic) in new[] { (nameof(options.TelemetryTopic), options.TelemetryTopic), (nameof(options.CommandsTopic), options.CommandsTopic), (nameof(options.DeadLetterTopic), options.DeadLetterTopic) })
        {
            if (string.IsNullOrWhiteSpace(topic))
            {
                failures.Add($"{s}:{key} is required.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
