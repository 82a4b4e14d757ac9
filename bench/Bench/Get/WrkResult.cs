using System.Globalization;
using System.Text.RegularExpressions;

namespace DeviceTwins.Bench.Get;

/// <summary>The figures of one wrk run (wrk 4.1 with --latency), latencies in milliseconds.</summary>
internal sealed partial record WrkResult(
    double RequestsPerSecond,
    long Requests,
    double Seconds,
    double BytesRead,
    double P50,
    double P90,
    double P99,
    double Max,
    long NonSuccess,
    long SocketErrors)
{
    /// <summary>Mean response size, headers included, as wrk counts bytes read.</summary>
    public double BytesPerResponse => Requests == 0 ? 0 : BytesRead / Requests;

    /// <summary>Parses wrk's report; throws with the report when a figure is missing.</summary>
    public static WrkResult Parse(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var totals = Totals().Match(report);
        var thread = ThreadLatency().Match(report);
        var rate = RequestsPerSecondLine().Match(report);
        if (!totals.Success || !thread.Success || !rate.Success)
        {
            throw new FormatException("Unexpected wrk output:\n" + report);
        }

        var socket = SocketErrorsLine().Match(report);
        var nonSuccess = NonSuccessLine().Match(report);
        return new WrkResult(
            double.Parse(rate.Groups["rate"].Value, CultureInfo.InvariantCulture),
            long.Parse(totals.Groups["requests"].Value, CultureInfo.InvariantCulture),
            Milliseconds(totals.Groups["elapsed"].Value) / 1000,
            Bytes(totals.Groups["read"].Value),
            Percentile(report, "50%"),
            Percentile(report, "90%"),
            Percentile(report, "99%"),
            Milliseconds(thread.Groups["max"].Value),
            nonSuccess.Success ? long.Parse(nonSuccess.Groups["count"].Value, CultureInfo.InvariantCulture) : 0,
            socket.Success ? socket.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0);
    }

    private static double Percentile(string report, string percent)
    {
        var line = report.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(percent + " ", StringComparison.Ordinal))
            ?? throw new FormatException($"wrk output has no {percent} latency (was --latency given?):\n{report}");
        return Milliseconds(line[percent.Length..].Trim());
    }

    // wrk prints durations as 812.00us, 1.23ms, 2.00s, 1.00m.
    private static double Milliseconds(string text)
    {
        var match = Quantity().Match(text);
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            "m" => value * 60_000,
            "h" => value * 3_600_000,
            var unit => throw new FormatException($"Unknown wrk time unit '{unit}' in '{text}'."),
        };
    }

    // wrk prints sizes in binary units: 512.00B, 1.50KB, 300.00MB.
    private static double Bytes(string text)
    {
        var match = Quantity().Match(text);
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "B" => value,
            "KB" => value * 1024,
            "MB" => value * 1024 * 1024,
            "GB" => value * 1024 * 1024 * 1024,
            var unit => throw new FormatException($"Unknown wrk size unit '{unit}' in '{text}'."),
        };
    }

    [GeneratedRegex(@"^(?<value>[0-9.]+)(?<unit>[a-zA-Z]+)$")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"(?<requests>\d+) requests in (?<elapsed>[0-9.]+[a-z]+), (?<read>[0-9.]+[A-Z]+) read")]
    private static partial Regex Totals();

    [GeneratedRegex(@"^[ \t]*Latency[ \t]+\S+[ \t]+\S+[ \t]+(?<max>[0-9.]+[a-z]+)", RegexOptions.Multiline)]
    private static partial Regex ThreadLatency();

    [GeneratedRegex(@"Requests/sec:\s+(?<rate>[0-9.]+)")]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (?<count>\d+)")]
    private static partial Regex NonSuccessLine();
}
