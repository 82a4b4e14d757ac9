using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreResolutionTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ZScoreOptions Floored = new()
    {
        Method = ZScoreMethod.Ewma,
        Alpha = 0.5,
        WarmUp = 3,
        RaiseZ = 4,
        ClearZ = 1,
        FloorAtResolution = true,
    };

    [Fact]
    public void Observe_NeverChangedMetric_IsNotWarmAndItsFirstStepDoesNotRaise()
    {
        var detector = new ZScoreDetector(Floored);
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, 20, 20, 20, 20, 20);

        var step = detector.Observe(state, "t", 20.1, Base.AddSeconds(10));

        // Without the floor the step is 0.1 / (1e-9 x 20) deviations; with it, the metric had shown no scale to judge it by.
        Assert.Equal((false, "warming up"), (step.Anomalous, step.Reason));
        Assert.Equal(0.1, state.Resolution, 12);
    }

    [Fact]
    public void Observe_OneStepOfTheResolution_IsOneDeviation()
    {
        var detector = new ZScoreDetector(Floored);
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, 20, 20.1, 20.1, 20.1, 20.1, 20.1, 20.1, 20.1, 20.1, 20.1);

        // The EWMA spread has all but vanished (0.5 halves it each record); the floor keeps the deviation at 0.1.
        var step = detector.Observe(state, "t", 20.2, Base.AddSeconds(10));

        Assert.False(step.Anomalous);
        // The mean is 20.1 less the first step halved nine times.
        Assert.Equal((20.2 - (20.1 - (0.1 / 512))) / 0.1, step.Score, 9);
    }

    [Fact]
    public void Observe_WithoutTheFloor_TheSameStepRaises()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.5, WarmUp = 3, RaiseZ = 4, ClearZ = 1 });
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, 20, 20.1, 20.1, 20.1, 20.1, 20.1, 20.1, 20.1, 20.1, 20.1);

        Assert.True(detector.Observe(state, "t", 20.2, Base.AddSeconds(10)).Anomalous);
    }

    private static void Feed(ZScoreDetector detector, ZScoreState state, params double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            detector.Observe(state, "t", values[i], Base.AddSeconds(i));
        }
    }
}
