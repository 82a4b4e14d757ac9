using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DeviceTwins.Analytics;
using DeviceTwins.Simulator;

namespace DeviceTwins.DetectionBench;

/// <summary>Prints both tables of the benchmark for the platform's default analytics configuration.</summary>
internal static class DetectionReport
{
    /// <summary>The goal of the false-alarm half: raises per 100,000 records per metric, every healthy kind.</summary>
    public const double FalseAlarmGoal = 1;

    /// <summary>The goal of the detection half: fraction of injected anomalies raised within their horizon.</summary>
    public const double DetectionGoal = 0.95;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        DetectionSettings settings;
        try
        {
            settings = DetectionSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }

        var options = new AnalyticsOptions();
        var clock = Stopwatch.StartNew();
        var reasons = settings.Reasons ? new ConcurrentBag<string>() : null;
        var falseAlarms = DetectionBenchmark.FalseAlarms(options, settings.Seeds, settings.Records, reasons);
        var replayed = falseAlarms.Sum(r => r.Records);
        output.WriteLine(Invariant($"False raises of the default rules on healthy series: {settings.Seeds} seeds x {settings.Records:N0} records per kind ({clock.Elapsed.TotalSeconds:F1} s, {replayed / clock.Elapsed.TotalSeconds / 1e6:F2} M records/s)"));
        output.WriteLine();
        output.WriteLine($"{"kind",-15} {"records",12} {"raises",7} {"per 100k",9} {"worst series",13} {"per 100k after 10k",19} {"goal <= 1",10}");
        foreach (var row in falseAlarms)
        {
            output.WriteLine(Invariant($"{row.Kind,-15} {row.Records,12:N0} {row.Raises,7} {row.Per100k,9:F2} {row.WorstSeries,13} {row.LatePer100k,19:F2} {(row.Per100k <= FalseAlarmGoal ? "met" : "missed"),10}"));
        }

        if (reasons is not null)
        {
            output.WriteLine();
            foreach (var reason in reasons.Order(StringComparer.Ordinal))
            {
                output.WriteLine($"  {reason}");
            }
        }

        clock.Restart();
        var detections = DetectionBenchmark.Detections(options, settings.AnomalySeeds);
        output.WriteLine();
        output.WriteLine(Invariant($"Injected anomalies, {settings.AnomalySeeds} series per kind ({clock.Elapsed.TotalSeconds:F1} s): detected = a raise within the horizon after onset; by chance = a false raise alone would fall in it; raises from onset = per series, onset to end"));
        output.WriteLine();
        output.WriteLine($"{"kind",-15} {"detected",9} {"fraction",9} {"median delay",22} {"p90 delay",10} {"false per 100k before",22} {"by chance",10} {"raises from onset",18} {"goal >= 95 %",13}");
        foreach (var row in detections)
        {
            var median = row.MedianDelay is { } m ? Invariant($"{m:F0} rec ({(row.Interval * m).TotalSeconds:F0} s)") : "n/a";
            var p90 = row.P90Delay is { } p ? Invariant($"{p:F0} rec") : "n/a";
            output.WriteLine(Invariant($"{row.Kind,-15} {row.Detected,4}/{row.Series,-4} {row.Fraction * 100,8:F1}% {median,22} {p90,10} {row.FalsePer100k,22:F2} {row.Chance * 100,9:F1}% {row.RaisesPerEpisode,18:F2} {(row.Fraction >= DetectionGoal ? "met" : "missed"),13}"));
        }

        clock.Restart();
        var fleet = SimulatedFleet.Raises(options, new SimulatorOptions { Devices = FleetDevices, RatePerSecond = FleetRate, Seed = 17 }, TimeSpan.FromHours(1));
        output.WriteLine();
        output.WriteLine(Invariant($"The simulator's healthy fleet ({FleetDevices} devices, {FleetRate} records/s, 4 metrics, no anomaly) for one hour of event time, default rules ({clock.Elapsed.TotalSeconds:F1} s):"));
        output.WriteLine(Invariant($"  {fleet.Count} raises ({FleetDevices * 4} metrics, {FleetRate * 3600:N0} records), goal 0; by rule and metric: {string.Join(", ", fleet.GroupBy(a => $"{a.Rule}/{a.Metric}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}"));
        if (reasons is not null)
        {
            foreach (var alert in fleet)
            {
                output.WriteLine(Invariant($"  {alert.DeviceId} {alert.EventTime:HH:mm:ss}: {alert.Reason}"));
            }
        }

        return 0;
    }

    private const int FleetDevices = 50;
    private const double FleetRate = 25;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
