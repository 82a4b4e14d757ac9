using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace DeviceTwins.TraceSummary;

/// <summary>Every collection in the trace: generation, kind, reason, pause, bytes promoted, heap size before and after.</summary>
internal static class CollectionSummary
{
    public static void Print(string path, TextWriter output)
    {
        using var source = new EventPipeEventSource(path);
        source.NeedLoadedDotNetRuntimes();
        source.Process();
        foreach (var process in source.Processes())
        {
            if (process.LoadedDotNetRuntime() is not { } runtime)
            {
                continue;
            }

            foreach (var gc in runtime.GC.GCs.Where(gc => gc.PauseDurationMSec > 0))
            {
                output.WriteLine($"#{gc.Number,5} gen{gc.Generation} {gc.Type,-16} {gc.Reason,-14} pause {gc.PauseDurationMSec,7:F1} ms (suspend {gc.SuspendDurationMSec,5:F1}, collect {gc.DurationMSec,6:F1})  promoted {gc.PromotedMB,7:F1} MB  heap {gc.HeapSizeBeforeMB,6:F0} -> {gc.HeapSizeAfterMB,6:F0} MB  at {gc.StartRelativeMSec / 1000,6:F1} s{MarkedFrom(gc)}");
            }
        }
    }

    // What each kind of root kept alive, summed over the heaps: only in traces with the GC keyword at verbose level.
    private static string MarkedFrom(TraceGC gc)
    {
        if (gc.PerHeapMarkTimes is not { Count: > 0 } heaps)
        {
            return "";
        }

        var totals = new long[(int)MarkRootType.MarkMax];
        foreach (var heap in heaps.Values)
        {
            for (var root = 0; root < totals.Length && root < heap.MarkPromoted.Length; root++)
            {
                totals[root] += heap.MarkPromoted[root];
            }
        }

        var times = new double[(int)MarkRootType.MarkMax];
        foreach (var heap in heaps.Values)
        {
            for (var root = 0; root < times.Length && root < heap.MarkTimes.Length; root++)
            {
                times[root] = Math.Max(times[root], heap.MarkTimes[root]);
            }
        }

        var marking = $" [mark ms: stack {times[(int)MarkRootType.MarkStack]:F1} handles {times[(int)MarkRootType.MarkHandles]:F1} older {times[(int)MarkRootType.MarkOlder]:F1}]";
        return marking + $"  marked from stacks {MB(totals[(int)MarkRootType.MarkStack])}, finalization {MB(totals[(int)MarkRootType.MarkFQ])}, handles {MB(totals[(int)MarkRootType.MarkHandles])}, older generations {MB(totals[(int)MarkRootType.MarkOlder])} MB";
    }

    private static string MB(long bytes) => (bytes / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
