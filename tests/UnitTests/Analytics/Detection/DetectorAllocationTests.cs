using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class DetectorAllocationTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<int> Detectors => [0, 1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Observe_SteadyNormalRecords_AllocatesNothing(int index)
    {
        IMetricDetector detector = index switch
        {
            0 => new ThresholdDetector(new ThresholdOptions { RaiseAbove = 1_000 }),
            1 => new ZScoreDetector(new ZScoreOptions { Window = 64 }),
            2 => new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma }),
            3 => new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Robust, Window = 64 }),
            6 => new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, EnvelopeHalfLife = 1_000, SustainedZ = 3 }),
            4 => new RateOfChangeDetector(new RateOfChangeOptions { MaxPerSecond = 1_000 }),
            _ => new FlatlineDetector(new FlatlineOptions { MinRecords = 1_000 }),
        };
        var state = detector.CreateState();
        Run(detector, state, 0, 2_000);

        var next = 2_000;
        Assert.Equal(0, FewestBytesAllocated(() =>
        {
            Run(detector, state, next, next + 2_000);
            next += 2_000;
        }));
    }

    [Fact]
    public void Heartbeat_SteadyRecordsAndChecks_AllocateNothing()
    {
        var detector = new HeartbeatDetector(new HeartbeatOptions());
        var state = detector.CreateState();
        for (var i = 0; i < 100; i++)
        {
            detector.Observe(state, Base.AddSeconds(i));
            detector.Check(state, Base.AddSeconds(i + 1));
        }

        var next = 100;
        Assert.Equal(0, FewestBytesAllocated(() =>
        {
            for (var i = next; i < next + 1_000; i++)
            {
                detector.Observe(state, Base.AddSeconds(i));
                detector.Check(state, Base.AddSeconds(i + 1));
                detector.NextCheck(state);
            }

            next += 1_000;
        }));
    }

    // The runtime itself may allocate on this thread once (tiering up a method mid-loop while other tests load it);
    // an allocation on the detector's path shows in every pass, so the fewest bytes of three passes is the measure.
    private static long FewestBytesAllocated(Action pass)
    {
        var fewest = long.MaxValue;
        for (var attempt = 0; attempt < 3 && fewest > 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }

    private static void Run(IMetricDetector detector, DetectorState state, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            // A bounded wobble: never flat, never fast, never far from the baseline.
            detector.Observe(state, "m", 20 + (i % 7) * 0.1, Base.AddSeconds(i));
        }
    }
}
