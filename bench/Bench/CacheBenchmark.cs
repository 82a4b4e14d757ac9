using System.Diagnostics;
using System.Globalization;
using DeviceTwins.Streaming.Kafka.Providers;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace DeviceTwins.Bench;

/// <summary>
/// The queue cache alone, driven the way a pulling agent drives it (add a read, open a cursor per new stream,
/// deliver each stream's batch, purge), for Kafka's per-stream cache and Orleans' SimpleQueueCache on the same
/// batches, as the number of streams (devices) in one queue grows.
/// </summary>
internal static class CacheBenchmark
{
    private const int ReadSize = 16_384;

    public static int Run(string[] args)
    {
        var streamCounts = args.Length > 0 ? args[0].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [10_000, 100_000, 1_000_000];
        var records = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000_000;
        var budget = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);
        Console.WriteLine($"Queue cache benchmark: {records:N0} records per run in reads of {ReadSize:N0}, one queue, each run stopped after {budget.TotalSeconds:N0} s");
        Console.WriteLine($"{"streams",10} {"per read/stream",16} {"KafkaQueueCache",18} {"SimpleQueueCache",18} {"ratio",8}");
        foreach (var streams in streamCounts)
        {
            var kafka = Measure(streams, records, budget, () => new KafkaQueueCache(4 * ReadSize, ReadSize));
            var simple = Measure(streams, records, budget, () => new SimpleQueueCache(4 * ReadSize, NullLogger.Instance));
            Console.WriteLine($"{streams,10:N0} {kafka.RecordsPerBatch,16:N1} {Format(kafka),18} {Format(simple),18} {kafka.RecordsPerSecond / simple.RecordsPerSecond,7:N1}x");
        }

        return 0;
    }

    private static string Format(Result result) => $"{result.RecordsPerSecond:N0}/s{(result.Finished ? string.Empty : "*")}";

    private static Result Measure(int streams, int records, TimeSpan budget, Func<IQueueCache> create)
    {
        var cache = create();
        var ids = Enumerable.Range(0, streams).Select(i => StreamId.Create("telemetry", "d" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var cursors = new Dictionary<StreamId, IQueueCacheCursor>();
        var groups = new Dictionary<StreamId, (List<object> Events, List<long> Offsets)>();
        long offset = 0, delivered = 0, batches = 0;
        var clock = Stopwatch.StartNew();
        while (offset < records && clock.Elapsed < budget)
        {
            // One read: consecutive records round-robin over the devices, grouped per device.
            groups.Clear();
            var order = new List<StreamId>();
            for (var i = 0; i < ReadSize && offset < records; i++, offset++)
            {
                var id = ids[offset % streams];
                if (!groups.TryGetValue(id, out var group))
                {
                    group = ([], []);
                    groups.Add(id, group);
                    order.Add(id);
                }

                group.Events.Add(offset);
                group.Offsets.Add(offset);
            }

            var read = order.Select(id => (IBatchContainer)new KafkaBatchContainer(id, [.. groups[id].Events], [.. groups[id].Offsets])).ToList();
            cache.AddToCache(read);
            foreach (var batch in read)
            {
                if (!cursors.TryGetValue(batch.StreamId, out var cursor))
                {
                    cursor = cache.TryGetCacheCursor(batch.StreamId, batch.SequenceToken).Cursor!;
                    cursors.Add(batch.StreamId, cursor);
                }

                while (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
                {
                    delivered += ((KafkaBatchContainer)cursor.GetCurrent(out _)!).Offsets.Length;
                    batches++;
                }
            }

            cache.TryPurgeFromCache(out _);
        }

        return new Result(delivered / clock.Elapsed.TotalSeconds, delivered / (double)Math.Max(1, batches), offset >= records);
    }

    private readonly record struct Result(double RecordsPerSecond, double RecordsPerBatch, bool Finished);
}
