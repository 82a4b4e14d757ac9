using DeviceTwins.Api.Security;

namespace DeviceTwins.UnitTests.Security;

/// <summary>The development key file: created once, readable by its owner only, shared by later starts.</summary>
public sealed class DevelopmentApiKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devicetwins-devkey-").FullName;

    [Fact]
    public void LoadOrCreate_NoFile_CreatesOwnerOnlyFileWithTheKey()
    {
        var path = Path.Combine(_directory, ".devicetwins", "api-key");
        var (key, created) = DevelopmentApiKey.LoadOrCreate(path);
        Assert.True(created);
        Assert.StartsWith("dt_", key, StringComparison.Ordinal);
        Assert.Equal(key + "\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void LoadOrCreate_ExistingFile_ReusesItsKey()
    {
        var path = Path.Combine(_directory, "api-key");
        var (first, _) = DevelopmentApiKey.LoadOrCreate(path);
        var (second, created) = DevelopmentApiKey.LoadOrCreate(path);
        Assert.False(created);
        Assert.Equal(first, second);
    }

    [Fact]
    public void LoadOrCreate_EmptyFile_IsReplacedWithANewKey()
    {
        var path = Path.Combine(_directory, "api-key");
        File.WriteAllText(path, string.Empty);
        var (key, created) = DevelopmentApiKey.LoadOrCreate(path);
        Assert.True(created);
        Assert.Equal(key, File.ReadAllText(path).Trim());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
