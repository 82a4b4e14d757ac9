using DeviceTwins.Testing;
using OpenQA.Selenium;

namespace DeviceTwins.EndToEndTests;

/// <summary>The console signing in with the platform's OpenID Connect authority (authorization code with PKCE) in a real browser.</summary>
public sealed class ConsoleOidcTests
{
    [Fact]
    public async Task SignInWithTheAuthority_TokenCarriesTheRole_TheCodeLeavesTheAddress_SignOutForgetsTheToken()
    {
        await using var issuer = await TestOidcIssuer.StartAsync("devicetwins-console", "devicetwins", "oidc-operator", "write");
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var settings = new Dictionary<string, string>(PlatformProcess.ApiKeyEnvironment)
        {
            ["Auth__Jwt__Authority"] = issuer.Authority,
            ["Auth__Jwt__Audience"] = "devicetwins",
            ["Auth__Jwt__RequireHttpsMetadata"] = "false",
            ["Auth__Jwt__ConsoleClientId"] = "devicetwins-console",
        };
        var silo = await platform.StartSiloAsync("silo", settings: settings);
        var device = "oidc-" + Guid.NewGuid().ToString("N")[..6];
        await platform.ProduceWithKcatAsync("iot.telemetry", [$"{device}|{{\"deviceId\":\"{device}\",\"ts\":\"{DateTimeOffset.UtcNow:O}\",\"metrics\":{{\"temperature\":19.5}}}}"]);
        await platform.WaitForCountAsync(device, 1, TimeSpan.FromSeconds(60));

        using var browser = new ConsoleBrowser(platform.Http.BaseAddress!);
        browser.Open($"#/devices/{device}");
        var button = browser.WaitFor(By.Id("sign-in-oidc"));
        Assert.Equal($"Sign in with {new Uri(issuer.Authority).Authority}", button.Text);
        button.Click();

        Assert.Equal("oidc-operator · write", browser.WaitFor(By.Id("who"), e => e.Displayed).Text);
        Assert.Equal(1, issuer.Authorizations);
        Assert.DoesNotContain("code=", browser.Driver.Url, StringComparison.Ordinal);
        var token = Assert.IsType<string>(browser.Script("return sessionStorage.getItem('devicetwins.token');"));
        Assert.Null(browser.Script("return sessionStorage.getItem('devicetwins.apiKey');"));

        // The token's role is write: the device page offers its edits, and they go through with the token.
        browser.Go($"#/devices/{device}");
        browser.WaitUntil(() => browser.Driver.FindElements(By.CssSelector("#metric-temperature .value")) is [var v] && v.Text == "19.5", "the device");
        var patch = browser.Driver.FindElement(By.Id("desired-patch"));
        patch.Click();
        patch.SendKeys("{\"mode\": \"oidc\"}");
        browser.Driver.FindElement(By.Id("apply-desired")).Click();
        browser.WaitFor(By.CssSelector("#desired-notice .ok"));
        browser.Screenshot("sign-in-oidc-device");
        Assert.DoesNotContain(token, silo.Output, StringComparison.Ordinal);

        browser.Driver.FindElement(By.Id("sign-out")).Click();
        browser.WaitFor(By.Id("sign-in-oidc"));
        Assert.Null(browser.Script("return sessionStorage.getItem('devicetwins.token');"));
    }
}
