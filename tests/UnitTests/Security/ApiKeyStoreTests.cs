using DeviceTwins.Api.Security;
using Microsoft.Extensions.Options;

namespace DeviceTwins.UnitTests.Security;

/// <summary>The keys in force: configured hashes, or the development key when nothing is configured; the key is logged only when generated.</summary>
public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devicetwins-keystore-").FullName;

    [Fact]
    public void Find_ConfiguredKeys_NameAndRoleOfTheMatch_NoDevelopmentKey()
    {
        var file = Path.Combine(_directory, "api-key");
        var logs = new CapturingLoggerProvider();
        var store = Store(logs, file, ("reader", "k-read", "read"), ("writer", "k-write", "WRITE"));
        Assert.Equal(("reader", "read", (string?)null), store.Find("k-read"));
        Assert.Equal(("writer", "write", (string?)null), store.Find("k-write"));
        Assert.Null(store.Find("k-admin"));
        Assert.Null(store.Find(string.Empty));
        Assert.Null(store.DevelopmentKeyPath);
        Assert.False(File.Exists(file));
        Assert.Empty(logs.Messages);
    }

    [Fact]
    public void Store_NothingConfigured_GeneratesAdminKeyLogsItOnceThenReusesIt()
    {
        var file = Path.Combine(_directory, "sub", "api-key");
        var logs = new CapturingLoggerProvider();
        var store = Store(logs, file);
        var key = File.ReadAllText(file).Trim();
        Assert.Equal(file, store.DevelopmentKeyPath);
        Assert.Equal((DevelopmentApiKey.Name, ApiRoles.Admin, (string?)null), store.Find(key));
        var created = Assert.Single(logs.Messages);
        Assert.Contains(key, created, StringComparison.Ordinal);
        Assert.Contains("DEVELOPMENT", created, StringComparison.Ordinal);

        var again = new CapturingLoggerProvider();
        var second = Store(again, file);
        Assert.Equal((DevelopmentApiKey.Name, ApiRoles.Admin, (string?)null), second.Find(key));
        var reused = Assert.Single(again.Messages);
        Assert.DoesNotContain(key, reused, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_NothingConfiguredDevelopmentKeyOff_AcceptsNoKey()
    {
        var file = Path.Combine(_directory, "api-key");
        var options = new AuthOptions { DevelopmentKey = false, DevelopmentKeyFile = file };
        var store = new ApiKeyStore(Options.Create(options), new CapturingLoggerProvider().CreateLogger<ApiKeyStore>());
        Assert.Null(store.Find("anything"));
        Assert.False(File.Exists(file));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ApiKeyStore Store(CapturingLoggerProvider logs, string file, params (string Name, string Key, string Role)[] keys)
    {
        var options = new AuthOptions { DevelopmentKeyFile = file };
        options.ApiKeys.AddRange(keys.Select(k => new ApiKeyOptions { Name = k.Name, Hash = ApiKeyHash.Create(k.Key), Role = k.Role }));
        return new ApiKeyStore(Options.Create(options), logs.CreateLogger<ApiKeyStore>());
    }
}
