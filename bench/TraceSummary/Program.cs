using DeviceTwins.TraceSummary;

// Summarises a trace of the silo taken with `dotnet-trace collect -p PID --profile gc-verbose --duration 00:00:00:10`:
// where the allocations go (the runtime's allocation samples, one per ~100 KB, by type and by stack) and what each
// collection cost (generation, pause, bytes promoted). The README's allocation breakdowns come from it.
//   dotnet bench/TraceSummary/bin/Release/net10.0/DeviceTwins.TraceSummary.dll trace.nettrace [--top 40] [--collections | --jit]
// --jit summarises what the JIT compiled (a trace with `--providers Microsoft-Windows-DotNETRuntime:0x10:5`).
if (args.Length == 0 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: DeviceTwins.TraceSummary <trace.nettrace> [--top N] [--collections | --jit]");
    return 2;
}

var top = 40;
var collections = false;
var jit = false;
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--top" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
            top = n;
            i++;
            break;
        case "--collections":
            collections = true;
            break;
        case "--jit":
            jit = true;
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

if (jit)
{
    JitSummary.Print(args[0], top, Console.Out);
}
else if (collections)
{
    CollectionSummary.Print(args[0], Console.Out);
}
else
{
    AllocationSummary.Print(args[0], top, Console.Out);
}

return 0;
