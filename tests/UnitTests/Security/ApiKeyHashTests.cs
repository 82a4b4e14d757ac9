using DeviceTwins.Api.Security;

namespace DeviceTwins.UnitTests.Security;

/// <summary>The stored form of API keys: "sha256:" and the hex SHA-256 of the key, compared in constant time.</summary>
public sealed class ApiKeyHashTests
{
    [Fact]
    public void Create_KnownKey_IsPrefixedLowercaseSha256Hex()
    {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyHash.Create("abc"));
    }

    [Fact]
    public void Verify_SameKey_True_OtherKey_False()
    {
        var key = ApiKeyHash.NewKey();
        var hash = ApiKeyHash.Create(key);
        Assert.True(ApiKeyHash.Verify(key, hash));
        Assert.True(ApiKeyHash.Verify(key, hash.ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal)));
        Assert.False(ApiKeyHash.Verify(key + "x", hash));
        Assert.False(ApiKeyHash.Verify(string.Empty, hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:ba7816bf")]
    [InlineData("sha256:zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("md5:900150983cd24fb0d6963f7d28e17f72")]
    public void TryParse_Malformed_False(string hash)
    {
        Assert.False(ApiKeyHash.TryParse(hash, out _));
        Assert.False(ApiKeyHash.Verify("abc", hash));
    }

    [Fact]
    public void NewKey_IsPrefixedUrlSafeAndUnique()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyHash.NewKey()).ToList();
        Assert.Equal(100, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k =>
        {
            Assert.StartsWith("dt_", k, StringComparison.Ordinal);
            Assert.Equal(3 + 43, k.Length);
            Assert.True(k.Skip(3).All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), k);
        });
    }
}
