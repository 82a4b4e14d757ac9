using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;

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
                output.WriteLine($"#{gc.Number,5} gen{gc.Generation} {gc.Type,-16} {gc.Reason,-14} pause {gc.PauseDurationMSec,7:F1} ms  promoted {gc.PromotedMB,7:F1} MB  heap {gc.HeapSizeBeforeMB,6:F0} -> {gc.HeapSizeAfterMB,6:F0} MB  at {gc.StartRelativeMSec / 1000,6:F1} s");
            }
        }
    }
}
