namespace DeviceTwins.Grains.Interfaces.Credentials;

/// <summary>
/// A credential a device connects with (to the MQTT bridge): its id, the SHA-256 of its secret (the secret itself is
/// shown once, when issued, and never stored), when and by whom it was issued.
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.device-credential")]
public sealed record DeviceCredential(
    [property: Id(0)] string Id,
    [property: Id(1)] string SecretHash,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string CreatedBy);
