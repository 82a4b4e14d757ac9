using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace DeviceTwins.TraceSummary;

/// <summary>
/// Sums the runtime's allocation samples (AllocationTick: the type of the object that crossed each ~100 KB of a heap's
/// allocations, with the amount since the last sample) by type, and by type with the first frames of its stack.
/// </summary>
internal static class AllocationSummary
{
    private const int Frames = 8;

    public static void Print(string path, int top, TextWriter output)
    {
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(path));
        var byType = new Dictionary<string, long>();
        var byStack = new Dictionary<string, long>();
        long total = 0;
        double first = double.MaxValue, last = 0;
        foreach (var data in log.Events)
        {
            if (data is not GCAllocationTickTraceData tick)
            {
                continue;
            }

            total += tick.AllocationAmount64;
            first = Math.Min(first, data.TimeStampRelativeMSec);
            last = Math.Max(last, data.TimeStampRelativeMSec);
            byType[tick.TypeName] = byType.GetValueOrDefault(tick.TypeName) + tick.AllocationAmount64;
            var key = tick.TypeName + Stack(data.CallStack());
            byStack[key] = byStack.GetValueOrDefault(key) + tick.AllocationAmount64;
        }

        if (total == 0)
        {
            output.WriteLine("No allocation samples: take the trace with --profile gc-verbose.");
            return;
        }

        output.WriteLine($"sampled allocations: {total / 1e6:F1} MB over {(last - first) / 1000:F1} s");
        output.WriteLine();
        output.WriteLine("by type:");
        foreach (var (type, amount) in byType.OrderByDescending(p => p.Value).Take(top))
        {
            output.WriteLine($"{amount / 1e6,8:F1} MB {100.0 * amount / total,5:F1} %  {type}");
        }

        output.WriteLine();
        output.WriteLine("by type and stack (task machinery frames folded into ~):");
        foreach (var (stack, amount) in byStack.OrderByDescending(p => p.Value).Take(top))
        {
            output.WriteLine($"{amount / 1e6,8:F1} MB {100.0 * amount / total,5:F1} %  {stack}");
        }
    }

    private static string Stack(TraceCallStack? stack)
    {
        var frames = new List<string>(Frames);
        for (var frame = stack; frame is not null && frames.Count < Frames; frame = frame.Caller)
        {
            var name = frame.CodeAddress.FullMethodName;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            var machinery = name.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal)
                || name.StartsWith("System.Threading.Tasks", StringComparison.Ordinal)
                || name.StartsWith("System.Threading.ExecutionContext", StringComparison.Ordinal);
            if (machinery)
            {
                if (frames.Count == 0 || frames[^1] != "~")
                {
                    frames.Add("~");
                }

                continue;
            }

            frames.Add(name.Length > 110 ? name[..110] : name);
        }

        return string.Concat(frames.Select(f => "\n      " + f));
    }
}
