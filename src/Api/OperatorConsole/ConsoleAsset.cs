namespace DeviceTwins.Api.OperatorConsole;

/// <summary>One file of the console: its bytes, content type and ETag.</summary>
public sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);
