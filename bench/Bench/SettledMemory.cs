using System.Diagnostics.Tracing;
using System.Globalization;
using DeviceTwins.Testing;
using Microsoft.Diagnostics.NETCore.Client;

namespace DeviceTwins.Bench;

/// <summary>
/// What the silo holds once a full, blocking collection has run: the managed heap (the runtime's meter on /metrics) and
/// the resident set. The collection is induced over EventPipe with the runtime's heap-collect keyword, as dotnet-gcdump
/// does, and awaited by the gen2 collection count; nothing in the silo exists for the benchmark's sake.
/// </summary>
internal static class SettledMemory
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;
    private const long GcHeapDumpKeyword = 0x100000;

    public static async Task<(long Heap, long Rss, long Gen2Before, long Gen2After, TimeSpan Waited)> MeasureAsync(PlatformProcess silo, HttpClient http)
    {
        var before = await Gen2CollectionsAsync(http);
        var client = new DiagnosticsClient(silo.Id);
        using var session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, GcKeyword | GcHeapCollectKeyword | GcHeapDumpKeyword),
            requestRundown: false,
            circularBufferMB: 4); // the session's buffer is the silo's memory too: keep it small
        var drain = session.EventStream.CopyToAsync(Stream.Null);
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        long after;
        while ((after = await Gen2CollectionsAsync(http)) <= before && waiting.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(200);
        }

        await session.StopAsync(CancellationToken.None);
        await drain.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        // The managed heap after that collection, all generations.
        var heap = await SumAsync(http, "dotnet_gc_last_collection_heap_size_bytes{");
        return (heap, silo.Memory().Rss, before, after, waiting.Elapsed);
    }

    // The exporter puts otel_scope_name first among the labels: match the generation label anywhere in the line.
    private static Task<long> Gen2CollectionsAsync(HttpClient http) =>
        SumAsync(http, "dotnet_gc_collections_total{", "gc_heap_generation=\"gen2\"");

    /// <summary>The sum of the silo's /metrics series whose lines start with <paramref name="prefix"/> (and hold <paramref name="label"/>).</summary>
    public static async Task<long> SumAsync(HttpClient http, string prefix, string? label = null)
    {
        var metrics = await http.GetStringAsync("/metrics");
        return (long)metrics.Split('\n')
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal) && (label is null || l.Contains(label, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
