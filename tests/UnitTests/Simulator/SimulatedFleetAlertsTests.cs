using DeviceTwins.DetectionBench;
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
    [Fact]
    public void OneHourOfTheDefaultFleet_EveryInjectedAnomalyRaises()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(SiloAppSettings()).Build();
        var settings = PlatformSettings.Load(configuration);
        var simulator = configuration.GetSection(SimulatorOptions.SectionName).Get<SimulatorOptions>()!;
        var raises = SimulatedFleet.Raises(settings.Analytics, simulator, TimeSpan.FromHours(1));

        var anomalous = simulator.Anomalies.SelectMany(a => a.Devices).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(5, anomalous.Count);
        foreach (var anomaly in simulator.Anomalies)
        {
            var device = Assert.Single(anomaly.Devices);
            var from = SimulatedFleet.Start + anomaly.Start;
            Assert.Contains(raises, r => r.DeviceId == device && r.EventTime >= from && r.EventTime <= from + anomaly.Duration + TimeSpan.FromMinutes(1));
        }
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
