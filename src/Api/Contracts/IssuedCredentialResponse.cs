namespace DeviceTwins.Api.Contracts;

/// <summary>
/// A credential just issued: the secret, shown this once, and how a device connects with it to the MQTT bridge
/// (client id and user name = the device id, password = the secret).
/// </summary>
public sealed record IssuedCredentialResponse(string Id, string Secret, DateTimeOffset CreatedAt, string CreatedBy, string ClientId, string Username);
