using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Nab.Detectors;

namespace DeviceTwins.NabTests.Detectors;

public sealed class DeviceTwinsDetectorTests
{
    private static readonly DateTime Start = new(2014, 4, 1);

    [Fact]
    public void Detect_DefaultsAndAnObviousSpike_DetectExactlyTheSpike()
    {
        var values = Wobble(400);
        values[300] = 100;

        Assert.Equal([300], Detected(new DeviceTwinsDetector().Detect("artificialWithAnomaly/art_x.csv", Times(values.Count), values)));
    }

    [Fact]
    public void Detect_DefaultsAndASpikeDuringWarmUp_DetectNothing()
    {
        // The default baseline judges nothing before 200 records.
        var values = Wobble(400);
        values[150] = 100;

        Assert.Empty(Detected(new DeviceTwinsDetector().Detect("artificialWithAnomaly/art_x.csv", Times(values.Count), values)));
    }

    [Fact]
    public void Detect_EveryRaiseOfAnyRule_IsADetectionAtItsRecord()
    {
        // Two rules on "value": a threshold raising above 50 and clearing below 30, and the defaults' anomaly rule turned off.
        var options = new AnalyticsOptions
        {
            Rules =
            [
                new RuleOptions { Name = "anomaly", Enabled = false },
                new RuleOptions { Name = "high", Kind = DetectorKind.Threshold, Threshold = new ThresholdOptions { RaiseAbove = 50, ClearBelow = 30 } },
            ],
        };
        double[] values = [20, 60, 70, 40, 20, 55, 20];

        var detections = new DeviceTwinsDetector(options).Detect("realTraffic/speed_x.csv", Times(values.Length), values);

        // Raised at 60, held through 70 and 40, cleared at 20, raised again at 55.
        Assert.Equal([1, 5], Detected(detections));
    }

    [Fact]
    public void Detect_MismatchedLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DeviceTwinsDetector().Detect("a/b.csv", Times(3), [1.0, 2.0]));
    }

    [Fact]
    public void Name_IsTheCatalogDefault()
    {
        Assert.Equal(DetectorCatalog.Default, new DeviceTwinsDetector().Name);
        Assert.IsType<DeviceTwinsDetector>(DetectorCatalog.Create(DetectorCatalog.Default));
    }

    private static List<double> Wobble(int count) => [.. Enumerable.Range(0, count).Select(i => 20 + (i % 7 * 0.1))];

    private static List<DateTime> Times(int count) => [.. Enumerable.Range(0, count).Select(i => Start.AddMinutes(5 * i))];

    private static List<int> Detected(IReadOnlyList<bool> detections) => [.. Enumerable.Range(0, detections.Count).Where(i => detections[i])];
}
