using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace DeviceTwins.Bench;

/// <summary>
/// Twin change streams of a few probe devices: each twin event's metric "seq" carries its record's event time (set to
/// the publish time), so the event's arrival minus that time is the record's publish-to-twin latency (state durable and
/// told to the stream). Records coalesced into a later event are not counted.
/// </summary>
internal sealed class TwinProbes(HttpClient http, IReadOnlyList<string> ids) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _readers = [];
    private readonly ConcurrentDictionary<string, int> _opened = new(StringComparer.Ordinal);

    /// <summary>Publish-to-twin latencies seen, in milliseconds.</summary>
    public ConcurrentBag<double> Latencies { get; } = [];

    /// <summary>Opens every probe's stream (creating the probe devices' twins first) and waits until each sent its first event.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            // A stream needs a twin: a desired patch creates one without telemetry.
            using var patch = new StringContent("""{"probe":true}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
            using var response = await http.PatchAsync(new Uri($"/api/devices/{id}/desired", UriKind.Relative), patch, cancellationToken);
            response.EnsureSuccessStatusCode();
            _readers.Add(ReadAsync(id, _stop.Token));
        }

        while (_opened.Count < ids.Count)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private async Task ReadAsync(string id, CancellationToken stop)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"/api/devices/{id}/changes", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
            var twinEvent = false;
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    twinEvent = line.EndsWith("twin", StringComparison.Ordinal);
                    continue;
                }

                if (!twinEvent || !line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                _opened.TryAdd(id, 0);
                var arrived = DateTimeOffset.UtcNow;
                using var twin = JsonDocument.Parse(line.AsMemory(6));
                if (twin.RootElement.TryGetProperty("metrics", out var metrics) && metrics.TryGetProperty("seq", out var seq))
                {
                    var ts = DateTimeOffset.Parse(seq.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture);
                    Latencies.Add((arrived - ts).TotalMilliseconds);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
        _stop.Dispose();
    }
}
