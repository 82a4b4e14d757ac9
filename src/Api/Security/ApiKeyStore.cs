using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Security;

/// <summary>
/// The API keys in force: the configured hashes or, when no credential is configured, the development key. Keys
/// themselves are never kept, logged or returned; only their SHA-256 digests are compared, in constant time.
/// </summary>
public sealed partial class ApiKeyStore
{
    private readonly List<(string Name, string Role, string? Tenant, byte[] Digest)> _keys = [];

    /// <summary>Loads the configured keys, or generates (reuses) and logs the development key.</summary>
    public ApiKeyStore(IOptions<AuthOptions> options, ILogger<ApiKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var auth = options.Value;
        foreach (var key in auth.ApiKeys)
        {
            if (ApiKeyHash.TryParse(key.Hash, out var digest))
            {
                _keys.Add((key.Name, key.Role.Trim().ToLowerInvariant(), string.IsNullOrWhiteSpace(key.Tenant) ? null : key.Tenant.Trim(), digest));
            }
        }

        if (!auth.HasCredentials && auth.DevelopmentKey)
        {
            var path = Path.GetFullPath(auth.DevelopmentKeyFile);
            string key;
            bool created;
            try
            {
                (key, created) = DevelopmentApiKey.LoadOrCreate(path);
                DevelopmentKeyPath = path;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A read-only working directory: the key lives in this process only, and the log is the one place it is shown.
                key = ApiKeyHash.NewKey();
                created = true;
                LogDevelopmentKeyNotWritten(logger, path, exception.Message);
            }

            _keys.Add((DevelopmentApiKey.Name, ApiRoles.Admin, null, ApiKeyHash.Digest(key)));
            if (created)
            {
                LogDevelopmentKeyCreated(logger, key, path);
            }
            else
            {
                LogDevelopmentKeyReused(logger, path);
            }
        }
        else if (!auth.HasCredentials)
        {
            LogNoCredentials(logger);
        }
    }

    /// <summary>The development key's file, when that key is in force.</summary>
    public string? DevelopmentKeyPath { get; }

    /// <summary>The name, role and tenant (null: every tenant) of the key matching <paramref name="key"/>, or null; every stored digest is compared.</summary>
    public (string Name, string Role, string? Tenant)? Find(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var digest = ApiKeyHash.Digest(key);
        (string Name, string Role, string? Tenant)? match = null;
        foreach (var candidate in _keys)
        {
            // No early exit: the time taken does not depend on which key, if any, matched.
            if (CryptographicOperations.FixedTimeEquals(digest, candidate.Digest) && match is null)
            {
                match = (candidate.Name, candidate.Role, candidate.Tenant);
            }
        }

        return match;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key or JWT is configured (Auth): generated a DEVELOPMENT admin API key, for development only: {ApiKey} (kept in {KeyFile}; configure Auth:ApiKeys or Auth:Jwt for anything else)")]
    private static partial void LogDevelopmentKeyCreated(ILogger logger, string apiKey, string keyFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The development API key cannot be written to {KeyFile} ({Reason}); it is kept in this process only")]
    private static partial void LogDevelopmentKeyNotWritten(ILogger logger, string keyFile, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key or JWT is configured (Auth): the REST API accepts the DEVELOPMENT admin API key kept in {KeyFile}, for development only")]
    private static partial void LogDevelopmentKeyReused(ILogger logger, string keyFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key or JWT is configured (Auth) and Auth:DevelopmentKey is false: every API request is refused")]
    private static partial void LogNoCredentials(ILogger logger);
}
