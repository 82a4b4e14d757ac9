namespace DeviceTwins.Api.OperatorConsole;

/// <summary>What the console's page needs to know before sign-in: the OpenID Connect authority to offer, if any.</summary>
public sealed record ConsoleSettings(ConsoleOidcSettings? Oidc);
