namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>
/// TLS and SASL settings shared by every Kafka client of a process (consumers, producers, the admin client): the one place
/// they are turned into librdkafka settings (<see cref="ToClientSettings"/>). Secrets are never logged.
/// </summary>
public sealed class KafkaSecurityOptions
{
    /// <summary>How clients reach the brokers.</summary>
    public KafkaSecurityProtocol Protocol { get; set; } = KafkaSecurityProtocol.Plaintext;

    /// <summary>PEM file of the certificate authorities that sign the brokers' certificates; unset uses the system's.</summary>
    public string? CaLocation { get; set; }

    /// <summary>PEM file of the client certificate, for mutual TLS.</summary>
    public string? CertificateLocation { get; set; }

    /// <summary>PEM file of the client certificate's private key, for mutual TLS.</summary>
    public string? KeyLocation { get; set; }

    /// <summary>Password of <see cref="KeyLocation"/>, when it is encrypted.</summary>
    [Redact]
    public string? KeyPassword { get; set; }

    /// <summary>Check that a broker's certificate names the host connected to.</summary>
    public bool VerifyHostname { get; set; } = true;

    /// <summary>The SASL mechanism; required with the SASL protocols.</summary>
    public KafkaSaslMechanism? SaslMechanism { get; set; }

    /// <summary>User name for PLAIN and SCRAM.</summary>
    public string? Username { get; set; }

    /// <summary>Password for PLAIN and SCRAM.</summary>
    [Redact]
    public string? Password { get; set; }

    /// <summary>OIDC token endpoint for OAUTHBEARER (client credentials grant).</summary>
    public string? TokenEndpointUrl { get; set; }

    /// <summary>OAuth client id for OAUTHBEARER.</summary>
    public string? ClientId { get; set; }

    /// <summary>OAuth client secret for OAUTHBEARER.</summary>
    [Redact]
    public string? ClientSecret { get; set; }

    /// <summary>OAuth scope requested for OAUTHBEARER, when the provider needs one.</summary>
    public string? Scope { get; set; }

    /// <summary>Whether the protocol uses TLS.</summary>
    public bool UsesTls => Protocol is KafkaSecurityProtocol.Ssl or KafkaSecurityProtocol.SaslSsl;

    /// <summary>Whether the protocol uses SASL.</summary>
    public bool UsesSasl => Protocol is KafkaSecurityProtocol.SaslPlaintext or KafkaSecurityProtocol.SaslSsl;

    /// <summary>
    /// Messages naming each invalid setting under <paramref name="section"/>, empty when the options are valid; files are
    /// checked with <paramref name="fileExists"/> (the file system when null).
    /// </summary>
    public IEnumerable<string> Validate(string section, Func<string, bool>? fileExists = null)
    {
        fileExists ??= File.Exists;
        if (!Enum.IsDefined(Protocol))
        {
            yield return $"{section}:Protocol must be one of {string.Join(", ", Enum.GetNames<KafkaSecurityProtocol>())}.";
            yield break;
        }

        foreach (var (key, path) in new[] { ("CaLocation", CaLocation), ("CertificateLocation", CertificateLocation), ("KeyLocation", KeyLocation) })
        {
            if (path is null)
            {
                continue;
            }

            if (!UsesTls)
            {
                yield return $"{section}:{key} is set but {section}:Protocol {Protocol} does not use TLS.";
            }
            else if (!fileExists(path))
            {
                yield return $"{section}:{key} '{path}' does not exist.";
            }
        }

        if ((CertificateLocation is null) != (KeyLocation is null))
        {
            yield return $"{section}:CertificateLocation and {section}:KeyLocation go together (mutual TLS needs both).";
        }

        if (KeyPassword is not null && KeyLocation is null)
        {
            yield return $"{section}:KeyPassword is set without {section}:KeyLocation.";
        }

        if (!UsesSasl)
        {
            if (SaslMechanism is not null || Username is not null || Password is not null || TokenEndpointUrl is not null || ClientId is not null || ClientSecret is not null)
            {
                yield return $"{section}: SASL settings are set but {section}:Protocol {Protocol} does not use SASL.";
            }

            yield break;
        }

        switch (SaslMechanism)
        {
            case null:
                yield return $"{section}:SaslMechanism is required with {section}:Protocol {Protocol} ({string.Join(", ", Enum.GetNames<KafkaSaslMechanism>())}).";
                break;
            case KafkaSaslMechanism.OAuthBearer:
                if (!Uri.TryCreate(TokenEndpointUrl, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
                {
                    yield return $"{section}:TokenEndpointUrl must be the absolute http(s) URL of the OIDC token endpoint for OAuthBearer.";
                }

                if (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrEmpty(ClientSecret))
                {
                    yield return $"{section}:ClientId and {section}:ClientSecret are required for OAuthBearer.";
                }

                break;
            case var mechanism when !Enum.IsDefined(mechanism.Value):
                yield return $"{section}:SaslMechanism must be one of {string.Join(", ", Enum.GetNames<KafkaSaslMechanism>())}.";
                break;
            default:
                if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password))
                {
                    yield return $"{section}:Username and {section}:Password are required for {SaslMechanism}.";
                }

                break;
        }
    }

    /// <summary>The librdkafka settings of these options, to start every client's configuration from.</summary>
    public Dictionary<string, string> ToClientSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["security.protocol"] = Protocol switch
            {
                KafkaSecurityProtocol.Ssl => "ssl",
                KafkaSecurityProtocol.SaslPlaintext => "sasl_plaintext",
                KafkaSecurityProtocol.SaslSsl => "sasl_ssl",
                _ => "plaintext",
            },
        };
        if (UsesTls)
        {
            Put(settings, "ssl.ca.location", CaLocation);
            Put(settings, "ssl.certificate.location", CertificateLocation);
            Put(settings, "ssl.key.location", KeyLocation);
            Put(settings, "ssl.key.password", KeyPassword);
            settings["ssl.endpoint.identification.algorithm"] = VerifyHostname ? "https" : "none";
        }

        if (UsesSasl && SaslMechanism is { } mechanism)
        {
            settings["sasl.mechanism"] = mechanism switch
            {
                KafkaSaslMechanism.ScramSha256 => "SCRAM-SHA-256",
                KafkaSaslMechanism.ScramSha512 => "SCRAM-SHA-512",
                KafkaSaslMechanism.OAuthBearer => "OAUTHBEARER",
                _ => "PLAIN",
            };
            if (mechanism == KafkaSaslMechanism.OAuthBearer)
            {
                settings["sasl.oauthbearer.method"] = "oidc";
                Put(settings, "sasl.oauthbearer.token.endpoint.url", TokenEndpointUrl);
                Put(settings, "sasl.oauthbearer.client.id", ClientId);
                Put(settings, "sasl.oauthbearer.client.secret", ClientSecret);
                Put(settings, "sasl.oauthbearer.scope", Scope);
            }
            else
            {
                Put(settings, "sasl.username", Username);
                Put(settings, "sasl.password", Password);
            }
        }

        return settings;
    }

    private static void Put(Dictionary<string, string> settings, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            settings[key] = value;
        }
    }
}
