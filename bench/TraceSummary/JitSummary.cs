using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace DeviceTwins.TraceSummary;

/// <summary>
/// The methods the JIT compiled during the trace, by tier and by method: what keeps a silo compiling long after its
/// start. Needs the runtime's JIT keyword at verbose level (`--providers Microsoft-Windows-DotNETRuntime:0x10:5`).
/// </summary>
internal static class JitSummary
{
    public static void Print(string path, int top, TextWriter output)
    {
        using var source = new EventPipeEventSource(path);
        var byTier = new Dictionary<string, int>(StringComparer.Ordinal);
        var byMethod = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = double.NaN;
        var last = 0.0;
        var total = 0;
        source.Clr.MethodLoadVerbose += e =>
        {
            if ((e.MethodFlags & MethodFlags.Jitted) == 0)
            {
                return;
            }

            total++;
            first = double.IsNaN(first) ? e.TimeStampRelativeMSec : first;
            last = e.TimeStampRelativeMSec;
            var tier = e.OptimizationTier.ToString();
            byTier[tier] = byTier.GetValueOrDefault(tier) + 1;
            var method = $"{e.MethodNamespace}::{e.MethodName} [{tier}]";
            byMethod[method] = byMethod.GetValueOrDefault(method) + 1;
        };
        source.Process();

        var seconds = double.IsNaN(first) ? 0 : (last - first) / 1000;
        output.WriteLine($"methods jitted: {total:N0} over {seconds:F1} s");
        foreach (var (tier, count) in byTier.OrderByDescending(t => t.Value))
        {
            output.WriteLine($"  {count,8:N0}  {tier}");
        }

        output.WriteLine("most often jitted (a method jitted again and again is generated code, not tiering):");
        foreach (var (method, count) in byMethod.OrderByDescending(m => m.Value).Take(top))
        {
            output.WriteLine($"  {count,8:N0}  {method}");
        }
    }
}
