using DeviceTwins.Nab.Detectors;

namespace DeviceTwins.NabTests.Detectors;

public sealed class SlidingZScoreDetectorTests
{
    private static readonly DateTime Start = new(2014, 4, 1);

    [Fact]
    public void Detect_SpikeAfterWarmUp_DetectsOnlyTheSpike()
    {
        var values = Alternating(60).ToList();
        values[45] = 10;

        var detections = Detect(new SlidingZScoreDetector(), values);

        // The window of 0s and 1s has mean and deviation about 0.5: 10 is 19 deviations out, 1 is one.
        Assert.Equal([45], Detected(detections));
    }

    [Fact]
    public void Detect_SpikeDuringWarmUp_IsNotJudged()
    {
        var values = Alternating(60).ToList();
        values[29] = 10;

        Assert.Empty(Detected(Detect(new SlidingZScoreDetector(), values)));
    }

    [Fact]
    public void Detect_ThresholdIsStrict()
    {
        // 30 alternating values (mean 0.5, deviation 0.5), then exactly 4 deviations out: 2.5.
        var values = Alternating(30).Append(2.5).ToList();

        Assert.Empty(Detected(Detect(new SlidingZScoreDetector(), values)));
        Assert.Equal([30], Detected(Detect(new SlidingZScoreDetector(threshold: 3.9), values)));
    }

    [Fact]
    public void Detect_SpikeLeavesTheWindowAfterWindowSizeRecords()
    {
        var values = Alternating(250).ToList();
        values[40] = 1000;
        values[140] = 5;
        values[141] = 5;

        // At row 140 the window (rows 40..139) still holds 1000, so 5 looks ordinary; at 141 it has gone and 5 stands out.
        Assert.Equal([40, 141], Detected(Detect(new SlidingZScoreDetector(), values)));
    }

    [Fact]
    public void Detect_FlatWindow_NeverDetects()
    {
        var values = Enumerable.Repeat(45.0, 50).Append(90.0).ToList();

        Assert.Empty(Detected(Detect(new SlidingZScoreDetector(), values)));
    }

    private static IEnumerable<double> Alternating(int count) => Enumerable.Range(0, count).Select(i => (double)(i % 2));

    private static IReadOnlyList<bool> Detect(SlidingZScoreDetector detector, IReadOnlyList<double> values) =>
        detector.Detect("artificialWithAnomaly/art_test.csv", values.Select((_, i) => Start.AddMinutes(5 * i)).ToList(), values);

    private static IEnumerable<int> Detected(IReadOnlyList<bool> detections) =>
        Enumerable.Range(0, detections.Count).Where(i => detections[i]);
}
