using DeviceTwins.Nab;

namespace DeviceTwins.NabTests;

public sealed class NabReplayTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Run_NullDetector_PrintsZeroPerProfileAndWritesNabResults()
    {
        var rows = Enumerable.Range(0, 200).Select(i => $"{new DateTime(2014, 4, 1).AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{i % 7}");
        _folder.Write("data/artificialWithAnomaly/art_x.csv", "timestamp,value\n" + string.Join('\n', rows) + "\n");
        var windows = _folder.Write("nab/windows.json", """{"artificialWithAnomaly/art_x.csv": [["2014-04-01 10:00:00.000000", "2014-04-01 11:00:00.000000"]]}""");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = NabReplay.Run(["--data", Path.Combine(_folder.Path, "data"), "--windows", windows, "--results", Path.Combine(_folder.Path, "results"), "--detector", "null"], output, error);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error.ToString());
        var table = output.ToString().Split('\n');
        Assert.Contains(table, l => l.StartsWith("standard                 0.00    -1.000    -1.000    1.000     0      0     1", StringComparison.Ordinal));
        Assert.Contains(table, l => l.StartsWith("reward_low_FN_rate       0.00    -2.000    -2.000    1.000     0      0     1", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_folder.Path, "results", "null", "artificialWithAnomaly", "null_art_x.csv")));
        Assert.True(File.Exists(Path.Combine(_folder.Path, "results", "null", "null_reward_low_FP_rate_scores.csv")));
    }

    [Fact]
    public void Run_UnknownDetector_FailsWithTheChoices()
    {
        var error = new StringWriter();

        var exit = NabReplay.Run(["--data", _folder.Path, "--windows", "w.json", "--detector", "htm"], new StringWriter(), error);

        Assert.Equal(1, exit);
        Assert.Contains("devicetwins, zscore, null", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoPaths_DefaultsToSharedNabBesideTheRepository()
    {
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repo.FullName, "DeviceTwins.sln")))
        {
            repo = repo.Parent!;
        }

        var settings = NabSettings.Parse([]);

        var nab = Path.GetFullPath(Path.Combine(repo.FullName, "..", "shared", "nab"));
        Assert.Equal(Path.Combine(nab, "data"), settings.DataFolder);
        Assert.Equal(Path.Combine(nab, "combined_windows.json"), settings.WindowsPath);
        Assert.Equal("devicetwins", settings.Detector);
        Assert.False(settings.Pipeline);
        Assert.Null(settings.ResultsFolder);
    }

    [Fact]
    public void Parse_ExplicitPaths_AreMadeAbsolute()
    {
        var settings = NabSettings.Parse(["--data", "/x/data", "--windows", "/x/w.json", "--profiles", "p.json", "--results", "out"]);

        Assert.Equal("/x/data", settings.DataFolder);
        Assert.Equal("/x/w.json", settings.WindowsPath);
        Assert.Equal(Path.GetFullPath("p.json"), settings.ProfilesPath);
        Assert.Equal(Path.GetFullPath("out"), settings.ResultsFolder);
    }

    [Fact]
    public void Parse_Pipeline_TakesTheFlagAndThePlatformSettings()
    {
        var settings = NabSettings.Parse(["--data", "/x/data", "--windows", "/x/w.json", "--pipeline", "--bootstrap", "127.0.0.1:9092", "--api", "http://127.0.0.1:6000", "--run", "r1"]);

        Assert.True(settings.Pipeline);
        Assert.Equal("127.0.0.1:9092", settings.ResolveBootstrapServers());
        Assert.Equal(new Uri("http://127.0.0.1:6000/"), settings.Api);
        Assert.Equal("r1", settings.Run);
    }

    [Fact]
    public void Run_DeviceTwinsByDefault_ScoresThePlatformsAnalytics()
    {
        // 400 records of a steady wobble with one spike at 300, inside the window: one detection, the window's only one.
        var rows = Enumerable.Range(0, 400).Select(i => $"{new DateTime(2014, 4, 1).AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{(i == 300 ? 100 : 20 + (i % 7 * 0.1)).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        _folder.Write("data/artificialWithAnomaly/art_x.csv", "timestamp,value\n" + string.Join('\n', rows) + "\n");
        var windows = _folder.Write("nab/windows.json", """{"artificialWithAnomaly/art_x.csv": [["2014-04-02 00:00:00.000000", "2014-04-02 02:00:00.000000"]]}""");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = NabReplay.Run(["--data", Path.Combine(_folder.Path, "data"), "--windows", windows], output, error);

        Assert.Equal(string.Empty, error.ToString());
        Assert.Equal(0, exit);
        var table = output.ToString().Split('\n');
        Assert.Contains(table, l => l.StartsWith("NAB v1.1 scoring of 'devicetwins'", StringComparison.Ordinal));
        Assert.Contains(table, l => l.StartsWith("standard", StringComparison.Ordinal) && l.EndsWith("    1      0     0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--bogus", "1")]
    [InlineData("--data")]
    [InlineData("--pipeline", "--detector", "zscore")]
    [InlineData("--run", "a b")]
    public void Parse_BadArguments_Throw(params string[] args)
    {
        Assert.Throws<ArgumentException>(() => NabSettings.Parse(args));
    }

    public void Dispose() => _folder.Dispose();
}
