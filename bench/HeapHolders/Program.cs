using System.Runtime.InteropServices;
using DeviceTwins.HeapHolders;
using Microsoft.Diagnostics.Runtime;

// What keeps the young generations alive in a heap dump of the silo (`dotnet-dump collect -p PID --type Heap`): every
// live gen0/gen1 object is attributed to the first gen2 object or root that reaches it through young objects only,
// and the totals are printed by the holder's type. A young object an old one holds is what the next collection
// promotes through the card table; the README's "what the 10,000-device p99 is made of" comes from it.
//   dotnet bench/HeapHolders/bin/Release/net10.0/DeviceTwins.HeapHolders.dll silo.dmp [--top 30]
if (args.Length == 0 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: DeviceTwins.HeapHolders <dump> [--top N]");
    return 2;
}

var top = args.Length == 3 && args[1] == "--top" && int.TryParse(args[2], out var n) && n > 0 ? n : 30;
using var target = DataTarget.LoadDump(args[0]);

// The dump comes from this machine's runtime: its data access library sits beside this process's.
var dac = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libmscordaccore.so");
var runtime = File.Exists(dac) ? target.ClrVersions[0].CreateRuntime(dac, ignoreMismatch: true) : target.ClrVersions[0].CreateRuntime();
if (!runtime.Heap.CanWalkHeap)
{
    Console.Error.WriteLine("The dump was taken during a collection: its heap cannot be walked. Take another.");
    return 1;
}

YoungHolders.Analyze(runtime.Heap).Print(Console.Out, top);
return 0;
