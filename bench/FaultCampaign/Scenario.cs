namespace DeviceTwins.FaultCampaign;

/// <summary>The faults the campaign injects, one per run, each against a fresh platform.</summary>
public enum Scenario
{
    /// <summary>No fault: the reference for recovery time and memory.</summary>
    Baseline,

    /// <summary>SIGKILL of one silo of three in the middle of the stream.</summary>
    KillOneOfThree,

    /// <summary>SIGKILL of the only silo in the middle of the stream, then a new silo in its place.</summary>
    KillOnlySilo,

    /// <summary>SIGTERM and restart of each of three silos, one at a time.</summary>
    RollingRestart,

    /// <summary>One broker of three down, then up again.</summary>
    BrokerDown,

    /// <summary>The leader of every telemetry partition moved to another broker.</summary>
    LeaderChange,

    /// <summary>Produce, Fetch and OffsetCommit requests failing with retriable errors.</summary>
    RequestErrors,

    /// <summary>Redis stopped, then restarted from its append-only file.</summary>
    RedisOutage,

    /// <summary>Poison records of every kind mixed into the stream.</summary>
    Poison,

    /// <summary>
    /// A tenth of the devices stop sending at the moment the only silo is SIGKILLed; a new silo takes its place. Each
    /// silent device must be reported offline exactly once, by the wake index (no record of it ever arrives again).
    /// </summary>
    SilentDevicesDuringCrash,

    /// <summary>
    /// The silos' output producer fails fatally (OUT_OF_ORDER_SEQUENCE_NUMBER at the head of the line, injected through
    /// the embedded cluster): it must be replaced without a restart, publishing everything once.
    /// </summary>
    ProducerFatal,

    /// <summary>After the fault round the stream runs at three times the rate while the silo is down, then meets the backlog with Redis slowed.</summary>
    Burst,

    /// <summary>
    /// Twins stored in a Redis Cluster (three masters, a replica each); a master is SIGKILLed while records flow and its
    /// replica promoted, then the only silo is SIGKILLed and a new one reads every twin back. Every write a twin counted
    /// as durable had reached the replica (WAIT): nothing lost or applied twice.
    /// </summary>
    RedisFailover,
}
