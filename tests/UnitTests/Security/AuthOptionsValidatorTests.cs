using DeviceTwins.Api.Security;

namespace DeviceTwins.UnitTests.Security;

public sealed class AuthOptionsValidatorTests
{
    private static IEnumerable<string> Failures(JwtOptions jwt)
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Jwt = jwt });
        return result.Failed ? result.Failures : [];
    }

    [Fact]
    public void ConsoleClientId_WithAnAuthority_IsValid()
    {
        Assert.Empty(Failures(new JwtOptions { Authority = "https://login.example.com/realms/plant", Audience = "devicetwins", ConsoleClientId = "devicetwins-console" }));
    }

    [Fact]
    public void ConsoleClientId_WithoutAnAuthority_IsRefusedNamingBothKeys()
    {
        var failure = Assert.Single(Failures(new JwtOptions { Issuer = "https://issuer", Audience = "devicetwins", SigningKey = Convert.ToBase64String(new byte[32]), ConsoleClientId = "devicetwins-console" }));
        Assert.Equal("Auth:Jwt:ConsoleClientId needs Auth:Jwt:Authority: the console signs in with an OpenID Connect authority.", failure);
    }
}
