using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>The all-in-one platform with its simulated fleet over MQTT: devices connect with credentials their twins issued, publish, and answer commands.</summary>
public sealed class SimulatorOverMqttTests
{
    [Fact]
    public async Task SimulatedFleetOverMqtt_TwinsFill_ACommandToASimulatedDeviceSucceeds()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo", settings: new Dictionary<string, string>
        {
            ["Mqtt__Port"] = TestEnvironment.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Mqtt__BindAddress"] = "127.0.0.1",
            ["Simulator__Enabled"] = "true",
            ["Simulator__Transport"] = "Mqtt",
            ["Simulator__Devices"] = "5",
            ["Simulator__RatePerSecond"] = "25",
            ["Simulator__DevicePrefix"] = "simq",
        });

        foreach (var id in Enumerable.Range(1, 5).Select(i => $"simq-{i:D4}"))
        {
            await platform.WaitForCountAsync(id, 5, TimeSpan.FromSeconds(60));
        }

        // The metric the bridge counts: the fleet's publishes came over MQTT.
        var metrics = await platform.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("devicetwins_mqtt_publishes_total{", StringComparison.Ordinal) && l.Contains("kind=\"telemetry\"", StringComparison.Ordinal));

        using var content = new StringContent("""{"name":"selftest","timeout":"PT1M"}""", System.Text.Encoding.UTF8, "application/json");
        using var posted = await platform.Http.PostAsync(new Uri("/api/devices/simq-0003/commands", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var commandId = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var done = await Eventually.Until(
            async () => await platform.Http.GetFromJsonAsync<JsonElement>($"/api/devices/simq-0003/commands/{commandId}"),
            c => c.GetProperty("state").GetString() == "succeeded",
            TimeSpan.FromSeconds(60),
            c => $"the simulated device's result, got {c}");
        Assert.Equal("""{"simulated":true}""", done.GetProperty("result").GetRawText());
    }
}
