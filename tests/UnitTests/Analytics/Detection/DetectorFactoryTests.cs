using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class DetectorFactoryTests
{
    [Theory]
    [InlineData(DetectorKind.Threshold, typeof(ThresholdDetector), typeof(ThresholdState))]
    [InlineData(DetectorKind.ZScore, typeof(ZScoreDetector), typeof(ZScoreState))]
    [InlineData(DetectorKind.RateOfChange, typeof(RateOfChangeDetector), typeof(RateOfChangeState))]
    [InlineData(DetectorKind.Flatline, typeof(FlatlineDetector), typeof(FlatlineState))]
    public void Create_ValidOptions_ReturnsDetectorOfKind(DetectorKind kind, Type detectorType, Type stateType)
    {
        var detector = DetectorFactory.Create(kind, Valid());

        Assert.IsType(detectorType, detector);
        Assert.Equal(kind, detector.Kind);
        Assert.IsType(stateType, detector.CreateState());
    }

    [Fact]
    public void Create_Heartbeat_Throws()
    {
        Assert.Throws<ArgumentException>(() => DetectorFactory.Create(DetectorKind.Heartbeat, Valid()));
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsWithEveryMessage()
    {
        var exception = Assert.Throws<ArgumentException>(() => DetectorFactory.Create(DetectorKind.Threshold, new DetectorOptions()));

        Assert.StartsWith("Threshold:RaiseAbove or RaiseBelow must be set.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultOptions_ReportsOnlyTheKindsThatNeedSettings()
    {
        var options = new DetectorOptions();

        Assert.Equal(["Threshold:RaiseAbove or RaiseBelow must be set."], options.Validate(DetectorKind.Threshold));
        Assert.Empty(options.Validate(DetectorKind.ZScore));
        Assert.Equal(["RateOfChange:MaxPerSecond must be a positive finite number."], options.Validate(DetectorKind.RateOfChange));
        Assert.Equal(["Flatline:MinRecords or MinDuration must be set."], options.Validate(DetectorKind.Flatline));
        Assert.Empty(options.Validate(DetectorKind.Heartbeat));
        Assert.Equal(["Kind 42 is not a known detector."], options.Validate((DetectorKind)42));
    }

    [Fact]
    public void Validate_InvalidSubOption_IgnoredForOtherKinds()
    {
        var options = Valid();
        options.ZScore.ClearZ = 10;

        Assert.Empty(options.Validate(DetectorKind.Threshold));
        Assert.Equal(["ZScore:ClearZ must not exceed RaiseZ."], options.Validate(DetectorKind.ZScore));
    }

    private static DetectorOptions Valid() => new()
    {
        Threshold = new() { RaiseAbove = 80 },
        RateOfChange = new() { MaxPerSecond = 1 },
        Flatline = new() { MinRecords = 5 },
    };
}
