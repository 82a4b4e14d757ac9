using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

// The optional values of detector states are kept as plain fields with sentinels; these tests hold the properties to their
// nullable meaning, and the states to the size that saves.
public sealed class DetectorStateFieldsTests
{
    private static readonly DateTimeOffset India = new(2026, 12, 7, 23, 30, 15, 250, TimeSpan.FromMinutes(330));
    private static readonly DateTimeOffset Newfoundland = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(-210));

    [Fact]
    public void NewStates_HaveNoOptionalValues()
    {
        var zscore = new ZScoreState();
        var threshold = new ThresholdState();
        var flatline = new FlatlineState();

        Assert.Null(zscore.LastTimestamp);
        Assert.Null(zscore.LastValue);
        Assert.Null(zscore.Upper);
        Assert.Null(zscore.Lower);
        Assert.Null(zscore.FastUpper);
        Assert.Null(zscore.FastLower);
        Assert.Null(threshold.Since);
        Assert.Null(flatline.RunStart);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.5)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    public void Values_RoundTripExactly_AndNullClearsThem(double value)
    {
        var state = new ZScoreState { LastValue = value, Upper = value, Lower = value, FastUpper = value, FastLower = value };

        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(state.LastValue!.Value));
        Assert.Equal(value, state.Upper);
        Assert.Equal(value, state.Lower);
        Assert.Equal(value, state.FastUpper);
        Assert.Equal(value, state.FastLower);

        state.LastValue = null;
        state.Upper = null;
        state.FastLower = null;
        Assert.Null(state.LastValue);
        Assert.Null(state.Upper);
        Assert.Null(state.FastLower);
        Assert.Equal(value, state.Lower);
    }

    [Fact]
    public void Instants_KeepTheirTicksAndOffset_AndNullClearsThem()
    {
        foreach (var instant in new[] { India, Newfoundland, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch })
        {
            var threshold = new ThresholdState { Since = instant, LastTimestamp = instant };
            var flatline = new FlatlineState { RunStart = instant };

            foreach (var read in new[] { threshold.Since, threshold.LastTimestamp, flatline.RunStart })
            {
                Assert.Equal(instant.UtcTicks, read!.Value.UtcTicks);
                Assert.Equal(instant.Offset, read.Value.Offset);
            }
        }

        var state = new ThresholdState { Since = India };
        state.Since = null;
        Assert.Null(state.Since);
    }

    [Fact]
    public void States_TakeTheBytesOfPlainFields()
    {
        // Object sizes on this runtime; with nullable fields they were 96, 104, 72 and 320 bytes.
        Assert.Equal(56, SizeOf(() => new ThresholdState()));
        Assert.Equal(64, SizeOf(() => new FlatlineState()));
        Assert.Equal(48, SizeOf(() => new RateOfChangeState()));
        Assert.Equal(256, SizeOf(() => new ZScoreState()));
    }

    private static long SizeOf(Func<DetectorState> create)
    {
        create();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var state = create();
        var size = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(state);
        return size;
    }
}
