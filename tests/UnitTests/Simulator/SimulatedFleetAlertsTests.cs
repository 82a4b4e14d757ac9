using System.Buffers;
using System.Text.Json;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Simulator;
using Microsoft.Extensions.Configuration;

namespace DeviceTwins.UnitTests.Simulator;

/// <summary>
/// The all-in-one platform's simulated fleet (src/Silo/appsettings.json) for one hour of event time through the analytics
/// every twin runs, with the rules the platform puts in force for it: every device with an injected anomaly raises within
/// a minute of its anomaly's end. (What the healthy devices raise is measured by bench/Detection, not asserted here.)
/// </summary>
public sealed class SimulatedFleetAlertsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OneHourOfTheDefaultFleet_EveryInjectedAnomalyRaises()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(SiloAppSettings()).Build();
        var settings = PlatformSettings.Load(configuration);
        var simulator = configuration.GetSection(SimulatorOptions.SectionName).Get<SimulatorOptions>()!;
        var analytics = new DeviceAnalytics(settings.Analytics);

        var raises = Replay(analytics, simulator, TimeSpan.FromHours(1));

        var anomalous = simulator.Anomalies.SelectMany(a => a.Devices).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(5, anomalous.Count);
        foreach (var anomaly in simulator.Anomalies)
        {
            var device = Assert.Single(anomaly.Devices);
            var from = Start + anomaly.Start;
            Assert.Contains(raises, r => r.DeviceId == device && r.EventTime >= from && r.EventTime <= from + anomaly.Duration + TimeSpan.FromMinutes(1));
        }
    }

    // The simulator's schedule, without Kafka: the fleet's rate shared round-robin, each record at its event time, and a
    // tick of every twin each simulated second, as the twins' timers do.
    internal static List<Alert> Replay(DeviceAnalytics analytics, SimulatorOptions options, TimeSpan length)
    {
        var random = new Random(options.Seed);
        var devices = Enumerable.Range(1, options.Devices)
            .Select(i => new DeviceModel($"{options.DevicePrefix}-{i:D4}", new Random(random.Next()), options.Anomalies))
            .ToArray();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var rules = devices.Select(d => analytics.RulesFor(d.DeviceId, tags)).ToArray();
        var states = devices.Select(_ => new DeviceAnalyticsState()).ToArray();
        var raises = new List<Alert>();
        var buffer = new ArrayBufferWriter<byte>(512);
        var records = (long)(length.TotalSeconds * options.RatePerSecond);
        var step = TimeSpan.FromSeconds(1 / options.RatePerSecond);
        var lastTick = Start;
        for (long i = 0; i < records; i++)
        {
            var now = Start + (step * i);
            var d = (int)(i % devices.Length);
            buffer.ResetWrittenCount();
            if (devices[d].WriteNext(now, buffer, now - Start))
            {
                using var json = JsonDocument.Parse(buffer.WrittenMemory);
                var metrics = json.RootElement.GetProperty("metrics").EnumerateObject().Select(p => new KeyValuePair<string, double>(p.Name, p.Value.GetDouble())).ToList();
                analytics.Observe(states[d], devices[d].DeviceId, rules[d], now, metrics, now);
                Collect(states[d], raises);
            }

            if (now - lastTick >= TimeSpan.FromSeconds(1))
            {
                lastTick = now;
                for (var t = 0; t < devices.Length; t++)
                {
                    analytics.Tick(states[t], devices[t].DeviceId, rules[t], now);
                    Collect(states[t], raises);
                }
            }
        }

        return raises;
    }

    private static void Collect(DeviceAnalyticsState state, List<Alert> raises)
    {
        raises.AddRange(state.PendingAlerts.Where(a => a.Status == AlertStatus.Raised));
        state.PendingAlerts.Clear();
        state.PendingWindows.Clear();
    }

    private static string SiloAppSettings()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "src", "Silo", "appsettings.json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("src/Silo/appsettings.json above the test's folder");
    }
}
