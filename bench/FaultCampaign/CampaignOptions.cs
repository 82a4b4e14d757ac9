namespace DeviceTwins.FaultCampaign;

/// <summary>The size of a campaign run; the defaults are the full campaign, the tests use a shortened one.</summary>
public sealed class CampaignOptions
{
    /// <summary>Devices of the simulated fleet.</summary>
    public int Devices { get; set; } = 1_000;

    /// <summary>Rounds of one record per device; records = devices × rounds (more in the burst).</summary>
    public int Rounds { get; set; } = 100;

    /// <summary>How long the producer spreads the rounds over (before any fault pause).</summary>
    public TimeSpan StreamDuration { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Poison records mixed into the stream of the poison scenario.</summary>
    public int PoisonRecords { get; set; } = 10_000;

    /// <summary>Poison records of 1 MiB among them (the embedded cluster keeps at most 5 MiB per partition).</summary>
    public int LargePoisonRecords { get; set; } = 3;

    /// <summary>How long Redis stays stopped.</summary>
    public TimeSpan RedisOutage { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the broker stays down.</summary>
    public TimeSpan BrokerOutage { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Telemetry partitions of the embedded cluster.</summary>
    public int Partitions { get; set; } = 12;

    /// <summary>The longest wait for the platform to catch up after the stream ends.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Where the processes' working folders and logs go; a temporary folder when empty.</summary>
    public string WorkDirectory { get; set; } = string.Empty;

    /// <summary>Extra settings for every silo, as environment variables (e.g. Orleans__Membership__ProbeTimeout).</summary>
    public Dictionary<string, string> SiloSettings { get; } = [];

    /// <summary>Whether each process's output is written to &lt;name&gt;.log in the scenario's folder, which is then kept.</summary>
    public bool KeepLogs { get; set; }

    /// <summary>Records in total for <paramref name="scenario"/>, poison excluded.</summary>
    public long RecordsFor(Scenario scenario) =>
        (long)Devices * Workload.FleetWorkload.RecordsPerDevice(scenario, Rounds)
        - (scenario == Scenario.SilentDevicesDuringCrash ? (long)Workload.FleetWorkload.SilentCount(Devices) * (Rounds - (Rounds * 2 / 5)) : 0);

    /// <summary>Checks the values make a meaningful run.</summary>
    public void Validate()
    {
        if (Devices < 10 || Rounds < 10)
        {
            throw new ArgumentException("A campaign needs at least 10 devices and 10 rounds.");
        }

        if (StreamDuration <= TimeSpan.Zero || RedisOutage <= TimeSpan.Zero || BrokerOutage <= TimeSpan.Zero || DrainTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Durations must be positive.");
        }

        if (PoisonRecords < 0 || LargePoisonRecords < 0 || LargePoisonRecords > PoisonRecords || Partitions < 1)
        {
            throw new ArgumentException("Poison records and partitions must be positive, large poison records at most all poison records.");
        }
    }
}
