using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreEarlyLifeTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_UnbiasedStart_DividesTheVarianceByTheWeightItHasGathered()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.5, WarmUp = 2, RaiseZ = 100, ClearZ = 1, UnbiasedStart = true });
        var state = (ZScoreState)detector.CreateState();
        detector.Observe(state, "t", 10, Base);
        detector.Observe(state, "t", 20, Base.AddSeconds(1));

        // Mean 15 and variance 25 are stored as without the option; two values have gathered a weight of 1 - 0.5^1, so z reads
        // the variance as 50.
        Assert.Equal((15.0, 25.0), (state.Mean, state.Variance));
        var verdict = detector.Observe(state, "t", 30, Base.AddSeconds(2));

        Assert.Equal(15 / Math.Sqrt(50), verdict.Score, 12);
    }

    [Theory]
    [InlineData(1, 3.7169221888498383)]
    [InlineData(200, 4.940864832300146)]
    [InlineData(1_000_000, 5.0)]
    public void RecordFloor_IsTheExpectedLargestOfAThousandTimesTheRecords_CappedAtFive(int records, double expected) =>
        Assert.Equal(expected, ZScoreEnvelope.RecordFloor(records), 12);

    [Fact]
    public void Observe_EnvelopeRecordFloor_ABreakoutBelowTheFloorDoesNotRaise()
    {
        var options = new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.5, WarmUp = 2, RaiseZ = 100, ClearZ = 1, EnvelopeHalfLife = 1, EnvelopeMargin = 0.5, EnvelopeRecordFloor = true };
        var detector = new ZScoreDetector(options);
        var state = (ZScoreState)detector.CreateState();
        foreach (var (value, i) in new[] { 10.0, 20, 21 }.Select((v, i) => (v, i)))
        {
            detector.Observe(state, "t", value, Base.AddSeconds(i));
        }

        // 30 breaks out of [12.5, 21] (see ZScoreEnvelopeTests) with z 2.588, below sqrt(2 ln 3000) = 4.002; 40 has z 4.74.
        var copy = System.Text.Json.JsonSerializer.Deserialize<ZScoreState>(System.Text.Json.JsonSerializer.Serialize(state))!;
        Assert.False(detector.Observe(state, "t", 30, Base.AddSeconds(3)).Anomalous);
        var far = detector.Observe(copy, "t", 40, Base.AddSeconds(3));
        Assert.True(far.Anomalous);
        // The bar that applied is the floor's (mean 18, deviation sqrt 21.5), further out than the envelope's 23.3.
        Assert.Equal(18 + (ZScoreEnvelope.RecordFloor(3) * Math.Sqrt(21.5)), far.Evidence!.Threshold, 9);
    }
}
