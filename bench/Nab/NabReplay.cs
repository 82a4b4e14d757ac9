using System.Globalization;
using Confluent.Kafka;
using DeviceTwins.Nab.Data;
using DeviceTwins.Nab.Detectors;
using DeviceTwins.Nab.Platform;
using DeviceTwins.Nab.Results;
using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.Nab;

/// <summary>Replays every NAB series through a detector, scores it per profile as NAB v1.1 does and prints the table.</summary>
internal static class NabReplay
{
    /// <summary>Binary detections are NAB anomaly scores of 0 or 1, judged at this threshold.</summary>
    private const double Threshold = 0.5;

    /// <summary>The results folder name of a replay through a running platform.</summary>
    private const string PipelineName = "devicetwins-pipeline";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var settings = NabSettings.Parse(args);
            var detector = DetectorCatalog.Create(settings.Detector);
            var corpus = NabCorpus.Load(settings.DataFolder, settings.WindowsPath);
            var profiles = settings.ProfilesPath is null ? CostProfile.NabDefaults : ProfilesFile.Read(settings.ProfilesPath);
            var writer = settings.ResultsFolder is null ? null : new ResultsWriter(settings.ResultsFolder);

            var inProcess = corpus.Series.Select(s => detector.Detect(s.Key, s.Timestamps, s.Values)).ToList();
            var name = detector.Name;
            var detections = inProcess;
            if (settings.Pipeline)
            {
                var bootstrap = settings.ResolveBootstrapServers();
                var run = settings.Run ?? DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                output.WriteLine($"Replaying through the platform at {bootstrap} (API {settings.Api}), devices nab-{run}-<category>:<series>");
                var replay = new PipelineReplay(bootstrap, settings.Api, settings.ResolveApiKey(), run, output);
                detections = [.. replay.DetectAsync(corpus).GetAwaiter().GetResult()];
                name = PipelineName;
                PrintAgreement(output, corpus, inProcess, detections);
            }

            var detected = new List<SeriesDetections>(corpus.Series.Count);
            for (var i = 0; i < corpus.Series.Count; i++)
            {
                detected.Add(corpus.Series[i].With(detections[i]));
                writer?.WriteSeries(name, corpus.Series[i], detections[i]);
            }

            output.WriteLine($"NAB v1.1 scoring of '{name}' on {corpus.Series.Count} series from {settings.DataFolder}");
            output.WriteLine($"{corpus.WindowCount} windows; normalised 100 * (raw - null) / (perfect - null), perfect = windows x A_TP as NAB's runner");
            output.WriteLine();
            output.WriteLine($"{"profile",-22} {"score",6} {"raw",9} {"null raw",9} {"perfect",8} {"TP",5} {"FP",6} {"FN",5}");
            foreach (var profile in profiles)
            {
                var score = CorpusScorer.Score(detected, profile, CorpusScorer.PerfectRaw(corpus.WindowCount, profile));
                writer?.WriteScores(name, corpus.Series, score, Threshold);
                output.WriteLine(Row(profile.Name, score));
            }

            output.WriteLine();
            output.WriteLine($"Per category, profile {profiles[0].Name} (each normalised over its own windows):");
            foreach (var category in corpus.Series.Select((s, i) => (s, i)).GroupBy(x => x.s.Category))
            {
                var windows = category.Sum(x => x.s.Windows.Count);
                var score = CorpusScorer.Score([.. category.Select(x => detected[x.i])], profiles[0], CorpusScorer.PerfectRaw(windows, profiles[0]));
                output.WriteLine(Row(category.Key, score));
            }

            output.WriteLine();
            output.WriteLine("TP/FN: windows detected/missed (first detection counts); FP: detections outside every window; probationary rows ignored.");
            if (settings.ResultsFolder is not null)
            {
                output.WriteLine($"Results in NAB's layout under {Path.Combine(settings.ResultsFolder, name)}");
            }

            return 0;
        }
        catch (Exception e) when (e is NabDataException or PipelineException or KafkaException or HttpRequestException or TaskCanceledException
            or ArgumentException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine(e.Message);
            return 1;
        }
    }

    // A group without windows (NAB's artificialNoAnomaly) has no normalised score: only its false positives count.
    private static string Row(string label, CorpusScore score) => string.Create(CultureInfo.InvariantCulture,
        $"{label,-22} {(score.PerfectRaw == score.NullRaw ? "n/a" : score.Normalised.ToString("F2", CultureInfo.InvariantCulture)),6} {score.Raw,9:F3} {score.NullRaw,9:F3} {score.PerfectRaw,8:F3} {score.DetectedWindows,5} {score.FalsePositives,6} {score.MissedWindows,5}");

    // The platform runs the same engine on the same event times, so the two replays should detect the same records.
    private static void PrintAgreement(TextWriter output, NabCorpus corpus, IReadOnlyList<IReadOnlyList<bool>> inProcess, IReadOnlyList<IReadOnlyList<bool>> pipeline)
    {
        var differing = 0;
        for (var i = 0; i < corpus.Series.Count; i++)
        {
            var rows = Enumerable.Range(0, inProcess[i].Count).Count(r => inProcess[i][r] != pipeline[i][r]);
            if (rows > 0)
            {
                differing++;
                output.WriteLine($"  {corpus.Series[i].Key}: {rows} record(s) detected by one replay and not the other");
            }
        }

        output.WriteLine($"Pipeline and in-process detections agree on {corpus.Series.Count - differing} of {corpus.Series.Count} series.");
        output.WriteLine();
    }
}
