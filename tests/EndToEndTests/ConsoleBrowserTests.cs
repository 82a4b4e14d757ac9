using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DeviceTwins.Testing;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// The operator console in a real headless Chromium against a real silo and the embedded Kafka cluster: sign-in, every
/// page live, every action, and what a read-only key does not get. Each test saves screenshots of the pages it shows.
/// </summary>
public sealed class ConsoleBrowserTests(ConsolePlatform console, ITestOutputHelper output) : IClassFixture<ConsolePlatform>
{
    private ConsoleBrowser Browser => console.Browser;

    [Fact]
    public void SignIn_AWrongKeyIsRefused_TheRightKeyOpensTheFleet_TheKeyIsInNoUrl()
    {
        Browser.Open(string.Empty);
        Browser.Script("sessionStorage.clear();");
        Browser.Driver.Navigate().Refresh();
        var field = Browser.WaitFor(By.Id("api-key"));
        Assert.Equal("password", field.GetAttribute("type"));
        Assert.Equal("API key", Browser.Driver.FindElement(By.CssSelector("label[for=api-key]")).Text);
        Browser.Screenshot("sign-in");

        field.SendKeys("dt_not-a-key-of-this-platform-00000000000000000");
        Browser.Driver.FindElement(By.Id("sign-in")).Click();
        var refused = Browser.WaitFor(By.CssSelector("#sign-in-error .error"));
        Assert.Contains("The key was refused", refused.Text, StringComparison.Ordinal);
        Assert.False(Browser.Driver.FindElement(By.Id("nav")).Displayed);

        Browser.SignIn(ConsolePlatform.AdminKey);
        Assert.Equal("owner · admin", Browser.Driver.FindElement(By.Id("who")).Text);
        Browser.WaitFor(By.CssSelector("#figure-devices dd"));
        Assert.DoesNotContain(ConsolePlatform.AdminKey, Browser.Driver.Url, StringComparison.Ordinal);
        Assert.Equal(ConsolePlatform.AdminKey, Browser.Script("return sessionStorage.getItem('devicetwins.apiKey');"));
        Assert.Equal(0L, Browser.Script("return localStorage.length;"));

        // Signing out forgets the key.
        Browser.Driver.FindElement(By.Id("sign-out")).Click();
        Browser.WaitFor(By.Id("api-key"));
        Assert.Null(Browser.Script("return sessionStorage.getItem('devicetwins.apiKey');"));

        // The silo logged neither the refused key nor the accepted one.
        Assert.DoesNotContain("dt_not-a-key-of-this-platform", console.Silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ConsolePlatform.AdminKey, console.Silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fleet_CountsProducedDevices_DevicesPageListsThem_FiltersNarrowIt()
    {
        var run = Run();
        var (a, b, c) = ($"{run}-a", $"{run}-b", $"{run}-c");
        await console.ProduceAsync((a, "\"temperature\":21"), (b, "\"temperature\":22"), (c, "\"temperature\":35"));
        foreach (var device in new[] { a, b, c })
        {
            await console.Platform.WaitForCountAsync(device, 1, TimeSpan.FromSeconds(60), console.Admin);
        }

        await console.TagAsync(a, $"{{\"site\":\"{run}-north\"}}");
        await console.TagAsync(b, $"{{\"site\":\"{run}-south\"}}");
        await console.TagAsync(c, $"{{\"site\":\"{run}-south\"}}");

        Browser.SignIn(ConsolePlatform.AdminKey);
        // The fleet's figures come from the index (written behind): they count the three devices once they are in it.
        var stats = await console.Admin.GetFromJsonAsync<JsonElement>("/api/fleet/stats");
        Browser.WaitUntil(() => Figure("figure-devices") >= 3 && Figure("figure-online") >= 3, "the fleet to count the devices");
        Assert.True(stats.GetProperty("silos").GetInt32() >= 1);
        Browser.WaitUntil(() => Browser.Driver.FindElement(By.CssSelector("#figure-rate dd")).Text != "—", "the records/s figure");
        Browser.Screenshot("fleet");

        Browser.Go("#/devices");
        Browser.WaitFor(By.Id("filter-tags")).SendKeys($"site:{run}-south");
        Browser.Driver.FindElement(By.Id("apply-filters")).Click();
        Browser.WaitUntil(() => Rows() is [var first, var second] && first == b && second == c, "the devices of the south site");
        Browser.Screenshot("devices");

        Browser.Driver.FindElement(By.Id("filter-metrics")).SendKeys("temperature>30");
        Browser.Driver.FindElement(By.Id("apply-filters")).Click();
        Browser.WaitUntil(() => Rows() is [var only] && only == c, "the one hot device of the south site");

        // A bad filter gets the API's problem, not an empty page.
        var metrics = Browser.Driver.FindElement(By.Id("filter-metrics"));
        metrics.Clear();
        metrics.SendKeys("temperature~30");
        Browser.Driver.FindElement(By.Id("apply-filters")).Click();
        Assert.Contains("metric", Browser.WaitFor(By.CssSelector("#devices-notice .error")).Text, StringComparison.Ordinal);
        Browser.Driver.FindElement(By.Id("clear-filters")).Click();
        Browser.WaitUntil(() => Rows().Count >= 3, "every device again");
    }

    [Fact]
    public async Task DevicePage_AKcatRecordShowsWithoutAReload_DesiredEditReachesTheTopic_AStaleEditIsRefused()
    {
        var device = await DeviceAsync("-live", "\"temperature\":20.5");
        Browser.SignIn(ConsolePlatform.WriteKey, $"#/devices/{device}");
        Browser.WaitUntil(() => MetricValue("temperature") == "20.5", "the first value");
        Browser.WaitFor(By.Id("twin-live"), e => e.Text == "live");
        Browser.Script("window.notReloaded = true;");

        // A record produced with kcat shows without a reload: measured from before kcat starts to the value on screen.
        var clock = Stopwatch.StartNew();
        await console.ProduceMembersAsync((device, "\"metrics\":{\"temperature\":33.25,\"load\":10},\"reported\":{\"firmware\":\"2.1.0\"}"));
        Browser.WaitUntil(() => MetricValue("temperature") == "33.25", "the new value");
        clock.Stop();
        output.WriteLine($"kcat record to the device page: {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(true, Browser.Script("return window.notReloaded === true;"));
        Browser.WaitFor(By.CssSelector("#metric-load .value"), e => e.Text == "10");
        Browser.WaitUntil(() => Browser.Driver.FindElement(By.Id("reported")).Text.Contains("\"firmware\": \"2.1.0\"", StringComparison.Ordinal), "the reported firmware");

        // Desired: a merge patch from the page lands on iot.twin.desired.
        var patch = Browser.Driver.FindElement(By.Id("desired-patch"));
        patch.Click();
        patch.SendKeys("{\"interval\": 45}");
        Browser.Driver.FindElement(By.Id("apply-desired")).Click();
        Browser.WaitFor(By.CssSelector("#desired-notice .ok"));
        Assert.Contains("\"interval\": 45", Browser.Driver.FindElement(By.Id("desired")).Text, StringComparison.Ordinal);
        Assert.Contains("\"interval\": 45", Browser.Driver.FindElement(By.Id("delta")).Text, StringComparison.Ordinal);
        var desired = await Eventually.Until(
            async () => (await console.Platform.ReadWithKcatAsync("iot.twin.desired", "%k|%s\\n")).Where(l => l.StartsWith(device + "|", StringComparison.Ordinal)).ToList(),
            l => l.Count >= 1,
            TimeSpan.FromSeconds(30),
            "the desired change on iot.twin.desired");
        Assert.Contains("\"interval\":45", Assert.Single(desired), StringComparison.Ordinal);
        Browser.Screenshot("device");

        // An edit started before someone else's change is refused (412) and says so; Reload takes the newer version.
        patch.Click();
        patch.SendKeys("{\"interval\": 60}");
        using (var meanwhile = new HttpRequestMessage(HttpMethod.Patch, $"/api/devices/{device}/desired") { Content = new StringContent("{\"mode\":\"eco\"}", Encoding.UTF8, "application/merge-patch+json") })
        {
            using var changed = await console.Admin.SendAsync(meanwhile);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        Browser.WaitUntil(() => Browser.Driver.FindElement(By.Id("desired")).Text.Contains("\"mode\": \"eco\"", StringComparison.Ordinal), "the other change, live");
        Browser.Driver.FindElement(By.Id("apply-desired")).Click();
        var conflict = Browser.WaitFor(By.CssSelector("#desired-notice .error"));
        Assert.Contains("Changed meanwhile", conflict.Text, StringComparison.Ordinal);
        Browser.Screenshot("device-changed-meanwhile");
        Browser.Click(By.CssSelector("#desired-notice button.reload"));
        Browser.WaitUntil(() => Browser.Driver.FindElements(By.CssSelector("#desired-notice .error")).Count == 0, "the notice to go");
        patch.Click();
        Browser.Driver.FindElement(By.Id("apply-desired")).Click();
        Browser.WaitFor(By.CssSelector("#desired-notice .ok"));
        Assert.Contains("\"interval\": 60", Browser.Driver.FindElement(By.Id("desired")).Text, StringComparison.Ordinal);

        // Tags, edited conditionally too.
        var tags = Browser.Driver.FindElement(By.Id("tags-editor"));
        tags.Click();
        tags.Clear();
        tags.SendKeys("{\"site\": \"plant-console\"}");
        Browser.Driver.FindElement(By.Id("save-tags")).Click();
        Browser.WaitFor(By.CssSelector("#tags-notice .ok"));
        Assert.Equal("site:plant-console", Browser.Driver.FindElement(By.CssSelector("#tags .tag")).Text);

        // Commands from the page: the first goes out at once (sent: the device's connection is not known), the second
        // waits its turn (queued) and is cancelled from the list; the page follows both live.
        Browser.Driver.FindElement(By.Id("command-name")).SendKeys("self-test");
        Browser.Driver.FindElement(By.Id("command-payload")).SendKeys("{\"depth\": 2}");
        Browser.Driver.FindElement(By.Id("send-command")).Click();
        Browser.WaitFor(By.CssSelector("#commands tr[data-command]"), e => e.GetAttribute("data-state") == "sent");
        var name = Browser.Driver.FindElement(By.Id("command-name"));
        name.Clear();
        name.SendKeys("reboot");
        Browser.Driver.FindElement(By.Id("command-payload")).Clear();
        Browser.Driver.FindElement(By.Id("send-command")).Click();
        Browser.WaitFor(By.XPath("//table[@id='commands']//tr[@data-command][td[1][text()='reboot']]"), e => e.GetAttribute("data-state") == "queued");
        Browser.Click(By.XPath("//table[@id='commands']//tr[@data-command][td[1][text()='reboot']]//button[contains(@class, 'cancel')]"));
        Browser.WaitFor(By.XPath("//table[@id='commands']//tr[@data-command][td[1][text()='reboot']]"), e => e.GetAttribute("data-state") == "cancelled");
        var commands = await console.Admin.GetFromJsonAsync<JsonElement>($"/api/devices/{device}/commands");
        Assert.Equal(
            [("self-test", "sent"), ("reboot", "cancelled")],
            commands.EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("state").GetString())).ToList());

        // Its alerts: an overload raised by a record shows on the page without a reload and is acknowledged there.
        await console.ProduceAsync((device, "\"load\":96"));
        var alert = "//div[contains(@class, 'alert-table')]//tr[@data-alert]";
        Browser.WaitFor(By.XPath(alert), e => e.GetAttribute("data-state") == "raised" && e.Text.Contains("overload", StringComparison.Ordinal));
        Browser.Click(By.XPath(alert + "//button[contains(@class, 'ack')]"));
        Browser.WaitFor(By.XPath(alert), e => e.GetAttribute("data-state") == "acknowledged");
        Assert.Equal(true, Browser.Script("return window.notReloaded === true;"));
        var acknowledged = await console.Admin.GetFromJsonAsync<JsonElement>($"/api/devices/{device}/alerts");
        Assert.Equal("acknowledged", Assert.Single(acknowledged.EnumerateArray()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task AlertsPage_AnInjectedAnomalyShowsLive_AndIsAcknowledgedFromTheList()
    {
        var device = await DeviceAsync("-boiler", "\"load\":20");
        Browser.SignIn(ConsolePlatform.WriteKey, "#/alerts");
        Browser.WaitFor(By.Id("alerts-live"), e => e.Text == "live");

        await console.ProduceAsync((device, "\"load\":97"));
        // Rows are redrawn on every alert event: each check finds its row afresh.
        var row = $"//tr[@data-alert][td/a[text()='{device}']]";
        Browser.WaitUntil(
            () => Browser.Driver.FindElement(By.XPath(row)) is var r && r.GetAttribute("data-state") == "raised" && r.Text.Contains("overload", StringComparison.Ordinal)
                && r.FindElement(By.CssSelector("td.why")).Text.Contains("97", StringComparison.Ordinal),
            "the raised overload alert, live",
            TimeSpan.FromSeconds(60));
        Browser.Screenshot("alerts");

        Browser.Click(By.XPath(row + "//button[contains(@class, 'ack')]"));
        Browser.WaitFor(By.XPath(row), e => e.GetAttribute("data-state") == "acknowledged");
        var alerts = await console.Admin.GetFromJsonAsync<JsonElement>($"/api/devices/{device}/alerts");
        var alert = Assert.Single(alerts.EnumerateArray());
        Assert.Equal("acknowledged", alert.GetProperty("state").GetString());

        // The Fleet page lists it among the active alerts, and counts the device as alerting.
        Browser.Go("#/fleet");
        Browser.WaitFor(By.XPath($"//tr[@data-alert][td/a[text()='{device}']]"));
        Browser.WaitUntil(() => Figure("figure-alerting") >= 1, "the alerting count");
    }

    [Fact]
    public async Task ReadKey_SeesTheDeviceAndItsAlerts_ButNoEditOrAcknowledgeControls()
    {
        var device = await DeviceAsync("-ro", "\"load\":99");
        Browser.SignIn(ConsolePlatform.ReadKey, $"#/devices/{device}");
        Assert.Equal("viewer · read", Browser.Driver.FindElement(By.Id("who")).Text);
        Browser.WaitUntil(() => MetricValue("load") == "99", "the value");
        Browser.WaitFor(By.CssSelector(".alert-table tr[data-alert]"), timeout: TimeSpan.FromSeconds(60));
        Browser.Screenshot("device-read-only");
        foreach (var control in new[] { "desired-editor", "tags-form", "command-form" })
        {
            Assert.Empty(Browser.Driver.FindElements(By.Id(control)));
        }

        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("button.ack, button.cancel")));
        Browser.Go("#/alerts");
        Browser.WaitFor(By.XPath($"//tr[@data-alert][td/a[text()='{device}']]"));
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("button.ack")));
    }

    [Fact]
    public async Task ByKeyboardOnATablet_SignInAndMoveBetweenPages_WithoutAPointer()
    {
        var device = await DeviceAsync("-tab", "\"temperature\":18");
        var window = Browser.Driver.Manage().Window;
        var size = window.Size;
        window.Size = new System.Drawing.Size(820, 1180);
        try
        {
            Browser.Open(string.Empty);
            Browser.Script("sessionStorage.clear();");
            Browser.Driver.Navigate().Refresh();
            // The key field has the focus on arrival; Enter signs in.
            Browser.WaitFor(By.Id("api-key"), e => e.Equals(Browser.Driver.SwitchTo().ActiveElement()));
            Browser.Driver.SwitchTo().ActiveElement().SendKeys(ConsolePlatform.ReadKey + Keys.Enter);
            Browser.WaitFor(By.Id("who"), e => e.Displayed);

            // The page's content has the focus after sign-in; Shift+Tab goes back through the header in order, Enter
            // follows a link.
            Assert.Equal("main", Browser.Driver.SwitchTo().ActiveElement().GetAttribute("id"));
            var reached = new List<string>();
            for (var i = 0; i < 6 && !reached.Contains("Devices"); i++)
            {
                new OpenQA.Selenium.Interactions.Actions(Browser.Driver).KeyDown(Keys.Shift).SendKeys(Keys.Tab).KeyUp(Keys.Shift).Perform();
                reached.Add(Browser.Driver.SwitchTo().ActiveElement().Text);
            }

            Assert.Equal(["Sign out", "Alerts", "Devices"], reached);
            Browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.Enter);
            Browser.WaitFor(By.Id("filter-tags"));
            Browser.WaitFor(By.CssSelector($"#devices tr[data-device='{device}']"));
            Browser.Screenshot("devices-tablet");

            // Every control of the page has a label.
            var unlabelled = Browser.Script("""
                return [...document.querySelectorAll('input, select, textarea')]
                  .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')).map(c => c.id);
                """);
            Assert.Empty((System.Collections.ObjectModel.ReadOnlyCollection<object>)unlabelled!);
            Browser.Go($"#/devices/{device}");
            Browser.WaitUntil(() => MetricValue("temperature") == "18", "the device");
            Browser.Screenshot("device-tablet");
            Assert.Equal(0L, Browser.Script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"));
        }
        finally
        {
            window.Size = size;
        }
    }

    /// <summary>A new device with one record (event time now) applied to its twin.</summary>
    private async Task<string> DeviceAsync(string suffix, string metrics)
    {
        var device = Run() + suffix;
        await console.ProduceAsync((device, metrics));
        await console.Platform.WaitForCountAsync(device, 1, TimeSpan.FromSeconds(60), console.Admin);
        return device;
    }

    private static string Run() => "con-" + Guid.NewGuid().ToString("N")[..6];

    private double Figure(string id)
    {
        var text = Browser.Driver.FindElement(By.CssSelector($"#{id} dd")).Text.Replace(",", string.Empty, StringComparison.Ordinal);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : -1;
    }

    private string MetricValue(string metric) =>
        Browser.Driver.FindElements(By.CssSelector($"#metric-{metric} .value")) is [var value, ..] ? value.Text : string.Empty;

    private List<string> Rows() =>
        [.. Browser.Driver.FindElements(By.CssSelector("#devices tbody tr[data-device]")).Select(r => r.GetAttribute("data-device") ?? string.Empty)];
}
