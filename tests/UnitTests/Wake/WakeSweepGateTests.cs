using DeviceTwins.Grains.Wake;

namespace DeviceTwins.UnitTests.Wake;

public sealed class WakeSweepGateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryPartitionCaughtUpBetweenTheLiveCallers_Sweeps()
    {
        var gate = new WakeSweepGate(TimeSpan.FromSeconds(15));
        gate.Heard("silo-a", caughtUp: 4, total: 12, T0);
        gate.Heard("silo-b", caughtUp: 4, total: 12, T0);
        Assert.False(gate.IntakeCaughtUp(T0));

        gate.Heard("silo-c", caughtUp: 4, total: 12, T0.AddSeconds(1));
        Assert.True(gate.IntakeCaughtUp(T0.AddSeconds(1)));

        // A backlog on one partition of silo-b holds every sweep back.
        gate.Heard("silo-b", caughtUp: 3, total: 12, T0.AddSeconds(2));
        Assert.False(gate.IntakeCaughtUp(T0.AddSeconds(2)));
    }

    [Fact]
    public void CallerThatStoppedAsking_ItsPartitionsCountAsBehind_UntilAnotherReadsThem()
    {
        var gate = new WakeSweepGate(TimeSpan.FromSeconds(15));
        gate.Heard("silo-a", 6, 12, T0);
        gate.Heard("silo-b", 6, 12, T0);
        Assert.True(gate.IntakeCaughtUp(T0));

        // silo-b dies: 16 s on, only silo-a asks, still with its own 6.
        gate.Heard("silo-a", 6, 12, T0.AddSeconds(16));
        Assert.False(gate.IntakeCaughtUp(T0.AddSeconds(16)));

        // silo-a took silo-b's partitions and caught up with their backlog.
        gate.Heard("silo-a", 12, 12, T0.AddSeconds(30));
        Assert.True(gate.IntakeCaughtUp(T0.AddSeconds(30)));
    }

    [Fact]
    public void NoTelemetryPartitions_Sweeps()
    {
        var gate = new WakeSweepGate(TimeSpan.FromSeconds(15));
        gate.Heard("silo-a", 0, 0, T0);
        Assert.True(gate.IntakeCaughtUp(T0));
    }
}
