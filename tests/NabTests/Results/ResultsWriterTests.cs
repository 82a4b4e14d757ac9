using DeviceTwins.Nab.Data;
using DeviceTwins.Nab.Results;
using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.NabTests.Results;

public sealed class ResultsWriterTests : IDisposable
{
    private static readonly DateTime Start = new(2015, 2, 26, 21, 42, 53);
    private readonly TempFolder _folder = new();

    [Fact]
    public void WriteSeries_NabLayout_OneRowPerRecordLabelledInsideWindows()
    {
        var series = Series("realTweets/Twitter_volume_X.csv", [104, 100.5, 99, 1000, 7], new WindowSpan(1, 2));

        var path = new ResultsWriter(_folder.Path).WriteSeries("zscore", series, [false, false, true, true, false]);

        Assert.Equal(Path.Combine(_folder.Path, "zscore", "realTweets", "zscore_Twitter_volume_X.csv"), path);
        Assert.Equal(
            [
                "timestamp,value,anomaly_score,label",
                "2015-02-26 21:42:53,104,0,0",
                "2015-02-26 21:47:53,100.5,0,1",
                "2015-02-26 21:52:53,99,1,1",
                "2015-02-26 21:57:53,1000,1,0",
                "2015-02-26 22:02:53,7,0,0",
            ],
            File.ReadAllLines(path));
    }

    [Fact]
    public void WriteScores_NabScoresFile_OneRowPerSeriesThenTotals()
    {
        var series = Series("realTweets/Twitter_volume_X.csv", [1, 2, 3, 4, 5], new WindowSpan(1, 2));
        var score = CorpusScorer.Score([series.With([false, false, false, false, false])], CostProfile.Standard, CorpusScorer.PerfectRaw(1, CostProfile.Standard));

        var path = new ResultsWriter(_folder.Path).WriteScores("null", [series], score, 0.5);

        Assert.Equal(Path.Combine(_folder.Path, "null", "null_standard_scores.csv"), path);
        Assert.Equal(
            [
                "Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count",
                "null,standard,realTweets/Twitter_volume_X.csv,0.5,-1,0,3,0,2,5",
                "Totals,,,,-1,0,3,0,2,5",
            ],
            File.ReadAllLines(path));
    }

    [Fact]
    public void WriteSeries_DetectionCountDiffersFromRows_Throws()
    {
        var series = Series("realTweets/a.csv", [1, 2], new WindowSpan(0, 0));

        Assert.Throws<ArgumentException>(() => new ResultsWriter(_folder.Path).WriteSeries("zscore", series, [true]));
    }

    public void Dispose() => _folder.Dispose();

    private static NabSeries Series(string key, double[] values, WindowSpan span)
    {
        var timestamps = values.Select((_, i) => Start.AddMinutes(5 * i)).ToList();
        return new NabSeries(key, timestamps, values, [new AnomalyWindow(timestamps[span.First], timestamps[span.Last])], [span]);
    }
}
