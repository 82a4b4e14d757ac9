using DeviceTwins.Nab.Data;
using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.NabTests.Data;

public sealed class NabCorpusTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Load_NabLayout_ReadsEverySeriesWithWindowsMappedToRows()
    {
        _folder.Write("data/realTweets/Twitter_volume_X.csv", "timestamp,value\n2015-02-26 21:42:53,104\n2015-02-26 21:47:53,100.5\n2015-02-26 21:52:53,99\n2015-02-26 21:57:53,1e3\n");
        _folder.Write("data/artificialNoAnomaly/flat.csv", "timestamp,value\n2014-04-01 00:00:00,45.0\n");
        var windows = _folder.Write("windows.json", """
            {
              "realTweets/Twitter_volume_X.csv": [["2015-02-26 21:47:53.000000", "2015-02-26 21:52:53.000000"]],
              "artificialNoAnomaly/flat.csv": [],
              "realKnownCause/not_here.csv": [["2014-01-01 00:00:00.000000", "2014-01-02 00:00:00.000000"]]
            }
            """);

        var corpus = NabCorpus.Load(Path.Combine(_folder.Path, "data"), windows);

        Assert.Equal(["artificialNoAnomaly/flat.csv", "realTweets/Twitter_volume_X.csv"], corpus.Series.Select(s => s.Key));
        var tweets = corpus.Series[1];
        Assert.Equal("realTweets", tweets.Category);
        Assert.Equal("Twitter_volume_X", tweets.Name);
        Assert.Equal([104.0, 100.5, 99.0, 1000.0], tweets.Values);
        Assert.Equal(new DateTime(2015, 2, 26, 21, 57, 53), tweets.Timestamps[3]);
        Assert.Equal([new AnomalyWindow(new DateTime(2015, 2, 26, 21, 47, 53), new DateTime(2015, 2, 26, 21, 52, 53))], tweets.Windows);
        Assert.Equal([new WindowSpan(1, 2)], tweets.Spans);
        Assert.Equal(1, corpus.WindowCount);
    }

    [Fact]
    public void Load_SeriesWithoutWindowsEntry_FailsNamingIt()
    {
        _folder.Write("data/realTweets/a.csv", "timestamp,value\n2015-02-26 21:42:53,104\n");
        var windows = _folder.Write("windows.json", "{}");

        var exception = Assert.Throws<NabDataException>(() => NabCorpus.Load(Path.Combine(_folder.Path, "data"), windows));

        Assert.Contains("realTweets/a.csv", exception.Message, StringComparison.Ordinal);
        Assert.Equal(windows, exception.Path);
    }

    [Fact]
    public void Load_WindowEdgeNotATimestampOfTheSeries_FailsNamingIt()
    {
        _folder.Write("data/realTweets/a.csv", "timestamp,value\n2015-02-26 21:42:53,104\n2015-02-26 21:47:53,100\n");
        var windows = _folder.Write("windows.json", """{"realTweets/a.csv": [["2015-02-26 21:42:53.000000", "2015-02-26 21:50:00.000000"]]}""");

        var exception = Assert.Throws<NabDataException>(() => NabCorpus.Load(Path.Combine(_folder.Path, "data"), windows));

        Assert.Contains("realTweets/a.csv", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timestamp,value\n26/02/2015 21:42,104\n")]
    [InlineData("timestamp,value\n2015-02-26 21:42:53,1,04\n")]
    [InlineData("time,value\n2015-02-26 21:42:53,104\n")]
    public void Load_MalformedSeries_FailsNamingTheFile(string text)
    {
        var series = _folder.Write("data/realTweets/a.csv", text);
        var windows = _folder.Write("windows.json", """{"realTweets/a.csv": []}""");

        var exception = Assert.Throws<NabDataException>(() => NabCorpus.Load(Path.Combine(_folder.Path, "data"), windows));

        Assert.Equal(series, exception.Path);
    }

    [Fact]
    public void ProfilesFile_NabProfiles_ReadInFileOrder()
    {
        var path = _folder.Write("profiles.json", """
            {
            "standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}},
            "reward_low_FP_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0}},
            "reward_low_FN_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.11, "tnWeight": 1.0}}
            }
            """);

        Assert.Equal(CostProfile.NabDefaults, ProfilesFile.Read(path));
    }

    public void Dispose() => _folder.Dispose();
}
