using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreExtrapolationTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Slow envelope half-life 20 records, fast 2; |z| alone never raises.
    private static ZScoreOptions Options(double extrapolation) => new()
    {
        Method = ZScoreMethod.Ewma,
        Alpha = 0.05,
        WarmUp = 10,
        RaiseZ = 100,
        ClearZ = 1,
        EnvelopeHalfLife = 20,
        EnvelopeMargin = 0,
        EnvelopeExtrapolation = extrapolation,
    };

    [Fact]
    public void Observe_FastEnvelopeHasDecayed_TheBarIsTheSlowEdgePlusTheGapTimesTheExtrapolation()
    {
        var detector = new ZScoreDetector(Options(2));
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, Noise(60));

        // The bar as documented: center + (slow - center) + 2 x ((slow - center) - (fast - center)).
        var center = state.Mean;
        var slow = state.Upper!.Value - center;
        var fast = state.FastUpper!.Value - center;
        var bar = center + slow + 2 * (slow - fast);
        Assert.True(slow > fast && fast > 0, $"slow {slow}, fast {fast}");

        var below = Clone(state);
        Assert.False(detector.Observe(below, "t", bar - 1e-6, At(60)).Anomalous);
        var above = detector.Observe(state, "t", bar + 1e-6, At(60));
        Assert.True(above.Anomalous);
        Assert.Contains($"extrapolated to [", above.Reason);
    }

    [Fact]
    public void Observe_WithoutExtrapolation_TheSlowEdgeIsTheBarAndNoFastEdgeIsKept()
    {
        var detector = new ZScoreDetector(Options(0));
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, Noise(60));

        Assert.Null(state.FastUpper);
        var bar = state.Upper!.Value;
        Assert.True(detector.Observe(state, "t", bar + 1e-6, At(60)).Anomalous);
    }

    [Fact]
    public void Validate_NegativeExtrapolation_NamesTheKey() =>
        Assert.Equal(["EnvelopeExtrapolation must be a finite number, not negative."], new ZScoreOptions { EnvelopeExtrapolation = -1 }.Validate());

    // A burst to 14 early (index 20), then small noise: the fast edge forgets the burst ten times sooner than the slow one.
    private static double[] Noise(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i == 20 ? 14 : 10 + 0.5 * Math.Sin(i * 1.7))];

    private static ZScoreState Clone(ZScoreState state) => System.Text.Json.JsonSerializer.Deserialize<ZScoreState>(System.Text.Json.JsonSerializer.Serialize(state))!;

    private static DateTimeOffset At(int i) => Base.AddSeconds(i);

    private static void Feed(ZScoreDetector detector, ZScoreState state, double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            detector.Observe(state, "t", values[i], At(i));
        }
    }
}
