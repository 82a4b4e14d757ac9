using System.Globalization;
using System.Text;
using Confluent.Kafka;
using DeviceTwins.FaultCampaign.Workload;

namespace DeviceTwins.FaultCampaign.Checks;

/// <summary>
/// Reads the dead-letter topic and matches every record to a produced poison record by its original partition and
/// offset (headers dlq.partition, dlq.offset): same key and value bytes, a reason naming what is wrong.
/// </summary>
internal static class DeadLetterCheck
{
    public const string Topic = "iot.telemetry.dlq";

    public static async Task<(long Missing, long Unexpected, string FirstProblem)> RunAsync(string bootstrapServers, IReadOnlyCollection<ProducedPoison> poison, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var records = await TopicReader.ReadAllAsync(bootstrapServers, Topic, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            if (records.Count < poison.Count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500).ConfigureAwait(false);
                continue;
            }

            var expected = poison.ToDictionary(p => (p.Partition, p.Offset));
            var matched = new HashSet<(int, long)>();
            long unexpected = 0;
            var firstProblem = string.Empty;
            foreach (var record in records)
            {
                var headers = record.Message.Headers;
                var position = (int.Parse(Header(headers, "dlq.partition"), CultureInfo.InvariantCulture), long.Parse(Header(headers, "dlq.offset"), CultureInfo.InvariantCulture));
                var reason = Header(headers, "dlq.reason");
                if (!expected.TryGetValue(position, out var produced))
                {
                    unexpected++;
                    firstProblem = firstProblem.Length > 0 ? firstProblem : $"dead letter from {position} is no poison record the campaign produced: {reason}";
                    continue;
                }

                var sameBytes = (record.Message.Key ?? []).AsSpan().SequenceEqual(produced.Record.Key ?? [])
                    && (record.Message.Value ?? []).AsSpan().SequenceEqual(produced.Record.Value);
                var rightReason = reason.Contains(produced.Record.ExpectedReason, StringComparison.Ordinal);
                if (sameBytes && rightReason && Header(headers, "dlq.topic") == FleetWorkload.TelemetryTopic && matched.Add(position))
                {
                    continue;
                }

                unexpected++;
                firstProblem = firstProblem.Length > 0 ? firstProblem
                    : $"{produced.Record.Kind} at {position}: bytes {(sameBytes ? "equal" : "differ")}, reason '{reason}' (expected to contain '{produced.Record.ExpectedReason}'), or a second copy";
            }

            var missing = expected.Keys.Count(k => !matched.Contains(k));
            if (missing > 0 && firstProblem.Length == 0)
            {
                var first = expected.First(e => !matched.Contains(e.Key));
                firstProblem = $"{first.Value.Record.Kind} at {first.Key} is not on {Topic}";
            }

            return (missing, unexpected, firstProblem);
        }
    }

    private static string Header(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : string.Empty;
}
