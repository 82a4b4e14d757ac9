namespace DeviceTwins.Api.OperatorConsole;

/// <summary>The authority the console signs in with (authorization code with PKCE), its client id there and the scopes it asks for.</summary>
public sealed record ConsoleOidcSettings(string Authority, string ClientId, string Scope);
