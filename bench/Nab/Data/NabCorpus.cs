using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.Nab.Data;

/// <summary>A folder laid out like NAB's data/ (<c>category/series.csv</c>) joined with a windows file.</summary>
public sealed class NabCorpus
{
    private NabCorpus(IReadOnlyList<NabSeries> series)
    {
        Series = series;
    }

    /// <summary>Every series, ordered by key.</summary>
    public IReadOnlyList<NabSeries> Series { get; }

    /// <summary>Windows over the corpus (NAB's perfect-score count).</summary>
    public int WindowCount => Series.Sum(s => s.Windows.Count);

    /// <summary>Reads every <c>category/series.csv</c> under <paramref name="dataFolder"/>; each must have an entry
    /// in the windows file, and entries for series not in the folder are ignored.</summary>
    public static NabCorpus Load(string dataFolder, string windowsPath)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        ArgumentNullException.ThrowIfNull(windowsPath);
        if (!Directory.Exists(dataFolder))
        {
            throw new NabDataException(dataFolder, "the data folder does not exist.");
        }

        var windows = WindowsFile.Read(windowsPath);
        var series = new List<NabSeries>();
        foreach (var file in Directory.EnumerateFiles(dataFolder, "*.csv", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(dataFolder, file).Replace(Path.DirectorySeparatorChar, '/');
            if (Path.GetFileName(file).StartsWith('.') || !key.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            if (!windows.TryGetValue(key, out var seriesWindows))
            {
                throw new NabDataException(windowsPath, $"no windows for {key}; every series needs an entry, [] when it has no anomaly.");
            }

            var (timestamps, values) = SeriesCsv.Read(file);
            IReadOnlyList<WindowSpan> spans;
            try
            {
                spans = WindowSpan.Locate(timestamps, seriesWindows);
            }
            catch (ArgumentException e)
            {
                throw new NabDataException(windowsPath, $"the windows of {key} do not fit its data: {e.Message}", e);
            }

            series.Add(new NabSeries(key, timestamps, values, seriesWindows, spans));
        }

        if (series.Count == 0)
        {
            throw new NabDataException(dataFolder, "no category/series.csv files found.");
        }

        series.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new NabCorpus(series);
    }
}
