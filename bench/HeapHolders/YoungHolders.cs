using Microsoft.Diagnostics.Runtime;

namespace DeviceTwins.HeapHolders;

/// <summary>Live young objects attributed to the old objects (or roots) that hold them, and the dead young bytes by type.</summary>
internal sealed class YoungHolders
{
    private readonly Dictionary<string, Tally> _byHolder = [];
    private readonly Dictionary<string, Tally> _deadYoung = [];
    private long _youngLive;
    private long _youngDead;

    public static YoungHolders Analyze(ClrHeap heap)
    {
        var live = LiveSet(heap);
        var result = new YoungHolders();
        var attributed = new HashSet<ulong>();

        // Roots first: what a thread's stack or a handle holds young is not the card table's doing.
        foreach (var root in heap.EnumerateRoots())
        {
            if (root.Object.IsValid && IsYoung(heap, root.Object.Address))
            {
                result.Attribute($"root: {root.RootKind}", root.Object.Address, heap, attributed);
            }
        }

        foreach (var obj in heap.EnumerateObjects())
        {
            if (!obj.IsValid || obj.IsFree)
            {
                continue;
            }

            var generation = GenerationOf(heap, obj.Address);
            if (generation is Generation.Generation0 or Generation.Generation1)
            {
                if (!live.Contains(obj.Address))
                {
                    result._youngDead += (long)obj.Size;
                    Add(result._deadYoung, obj.Type?.Name ?? "?", 1, (long)obj.Size);
                }

                continue;
            }

            if (!live.Contains(obj.Address))
            {
                continue;
            }

            foreach (var reference in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: false))
            {
                if (reference != 0 && IsYoung(heap, reference))
                {
                    result.Attribute(obj.Type?.Name ?? "?", reference, heap, attributed);
                }
            }
        }

        return result;
    }

    public void Print(TextWriter output, int top)
    {
        output.WriteLine($"young generations: {_youngLive / 1048576.0:F1} MB alive, {_youngDead / 1048576.0:F1} MB dead");
        output.WriteLine("live young bytes by what holds them (objects reached through young objects only):");
        foreach (var (holder, tally) in _byHolder.OrderByDescending(kv => kv.Value.Bytes).Take(top))
        {
            output.WriteLine($"{tally.Bytes / 1048576.0,8:F2} MB {tally.Count,9:N0} objects  {holder}");
        }

        output.WriteLine("dead young bytes by type:");
        foreach (var (type, tally) in _deadYoung.OrderByDescending(kv => kv.Value.Bytes).Take(top))
        {
            output.WriteLine($"{tally.Bytes / 1048576.0,8:F2} MB {tally.Count,9:N0} objects  {type}");
        }
    }

    private void Attribute(string holder, ulong start, ClrHeap heap, HashSet<ulong> attributed)
    {
        if (!attributed.Add(start))
        {
            return;
        }

        long count = 0, bytes = 0;
        var pending = new Stack<ulong>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var obj = heap.GetObject(pending.Pop());
            if (!obj.IsValid)
            {
                continue;
            }

            count++;
            bytes += (long)obj.Size;
            foreach (var reference in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: true))
            {
                if (reference != 0 && IsYoung(heap, reference) && attributed.Add(reference))
                {
                    pending.Push(reference);
                }
            }
        }

        _youngLive += bytes;
        Add(_byHolder, holder, count, bytes);
    }

    private static HashSet<ulong> LiveSet(ClrHeap heap)
    {
        var live = new HashSet<ulong>();
        var pending = new Stack<ulong>();
        foreach (var root in heap.EnumerateRoots())
        {
            if (root.Object.Address != 0 && live.Add(root.Object.Address))
            {
                pending.Push(root.Object.Address);
            }
        }

        while (pending.Count > 0)
        {
            var obj = heap.GetObject(pending.Pop());
            if (!obj.IsValid)
            {
                continue;
            }

            foreach (var reference in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: true))
            {
                if (reference != 0 && live.Add(reference))
                {
                    pending.Push(reference);
                }
            }
        }

        return live;
    }

    private static bool IsYoung(ClrHeap heap, ulong address) =>
        GenerationOf(heap, address) is Generation.Generation0 or Generation.Generation1;

    private static Generation GenerationOf(ClrHeap heap, ulong address) =>
        heap.GetSegmentByAddress(address)?.GetGeneration(address) ?? Generation.Unknown;

    private static void Add(Dictionary<string, Tally> tallies, string key, long count, long bytes)
    {
        var current = tallies.GetValueOrDefault(key);
        tallies[key] = new Tally(current.Count + count, current.Bytes + bytes);
    }

    private readonly record struct Tally(long Count, long Bytes);
}
