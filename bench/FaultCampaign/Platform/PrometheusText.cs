using System.Globalization;

namespace DeviceTwins.FaultCampaign.Platform;

/// <summary>Reads values out of the Prometheus text format a silo serves at /metrics.</summary>
internal static class PrometheusText
{
    /// <summary>The sum of every sample of <paramref name="metric"/> (all label sets).</summary>
    public static double Sum(string text, string metric) =>
        text.Split('\n')
            .Where(line => line.StartsWith(metric, StringComparison.Ordinal) && (line.Length > metric.Length && (line[metric.Length] == ' ' || line[metric.Length] == '{')))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
