using System.Globalization;
using System.Text;
using DeviceTwins.Nab.Data;
using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.Nab.Results;

/// <summary>Writes a detector's output in NAB's results layout, so NAB's own scripts and plots can read it.</summary>
public sealed class ResultsWriter
{
    private readonly string _root;

    /// <summary>A writer under <paramref name="resultsFolder"/> (NAB's results/).</summary>
    public ResultsWriter(string resultsFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(resultsFolder);
        _root = resultsFolder;
    }

    /// <summary>The file of one series: <c>&lt;results&gt;/&lt;detector&gt;/&lt;category&gt;/&lt;detector&gt;_&lt;series&gt;.csv</c>.</summary>
    public string SeriesPath(string detector, NabSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return Path.Combine(_root, detector, series.Category.Replace('/', Path.DirectorySeparatorChar), $"{detector}_{series.Name}.csv");
    }

    /// <summary>The per-profile totals file: <c>&lt;results&gt;/&lt;detector&gt;/&lt;detector&gt;_&lt;profile&gt;_scores.csv</c>.</summary>
    public string ScoresPath(string detector, CostProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Path.Combine(_root, detector, $"{detector}_{profile.Name}_scores.csv");
    }

    /// <summary>Writes <c>timestamp,value,anomaly_score,label</c> per record: score 1 where detected, label 1 inside a window.</summary>
    public string WriteSeries(string detector, NabSeries series, IReadOnlyList<bool> detections)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(detections);
        if (detections.Count != series.Timestamps.Count)
        {
            throw new ArgumentException($"{series.Key} has {series.Timestamps.Count} rows but {detections.Count} detections.", nameof(detections));
        }

        var labels = new bool[series.Timestamps.Count];
        foreach (var span in series.Spans)
        {
            Array.Fill(labels, true, span.First, span.Width);
        }

        var text = new StringBuilder("timestamp,value,anomaly_score,label\n");
        for (var row = 0; row < labels.Length; row++)
        {
            text.Append(NabTimestamp.ToText(series.Timestamps[row])).Append(',')
                .Append(series.Values[row].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(detections[row] ? "1" : "0").Append(',')
                .Append(labels[row] ? "1" : "0").Append('\n');
        }

        return Write(SeriesPath(detector, series), text);
    }

    /// <summary>Writes NAB's <c>Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count</c> rows, one per series, then Totals.</summary>
    public string WriteScores(string detector, IReadOnlyList<NabSeries> series, CorpusScore score, double threshold)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(score);
        var text = new StringBuilder("Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count\n");
        for (var i = 0; i < series.Count; i++)
        {
            Row(text, $"{detector},{score.Profile.Name},{series[i].Key},{Number(threshold)}", score.Series[i].Raw, score.Series[i].Records, score.Series[i].Rows);
        }

        Row(text, "Totals,,,", score.Raw, score.Records, score.Series.Sum(s => s.Rows));
        return Write(ScoresPath(detector, score.Profile), text);
    }

    private static void Row(StringBuilder text, string prefix, double raw, RecordCounts counts, int rows) =>
        text.Append(prefix).Append(',').Append(Number(raw)).Append(',')
            .Append(counts.TruePositives).Append(',').Append(counts.TrueNegatives).Append(',')
            .Append(counts.FalsePositives).Append(',').Append(counts.FalseNegatives).Append(',')
            .Append(rows).Append('\n');

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Write(string path, StringBuilder text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
