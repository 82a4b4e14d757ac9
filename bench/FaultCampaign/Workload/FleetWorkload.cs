using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using DeviceTwins.Testing;

namespace DeviceTwins.FaultCampaign.Workload;

/// <summary>
/// The campaign's known input: rounds of one record per device (metrics "seq" and "load"), one second apart in event
/// time, paced over the stream duration, with poison records mixed in for the poison scenario and three records per
/// device per round after the fault in the burst scenario. Every tenth device overloads ("load" 95) for three rounds
/// in the middle of the stream, so the alerts expected are known exactly.
/// </summary>
internal sealed class FleetWorkload
{
    public const string TelemetryTopic = "iot.telemetry";
    private readonly CampaignOptions _options;
    private readonly Scenario _scenario;
    private readonly string _bootstrapServers;
    private readonly long[] _produced;
    private readonly long[] _delivered;
    private readonly ConcurrentBag<ProducedPoison> _poison = [];
    private readonly DateTimeOffset _eventStart;
    private long _deliveryFailures;
    private string _firstDeliveryError = string.Empty;

    public FleetWorkload(string bootstrapServers, CampaignOptions options, Scenario scenario)
    {
        _bootstrapServers = bootstrapServers;
        _options = options;
        _scenario = scenario;
        DeviceIds = Enumerable.Range(0, options.Devices).Select(i => string.Create(CultureInfo.InvariantCulture, $"fleet-{i:D5}")).ToArray();
        _produced = new long[options.Devices];
        _delivered = new long[options.Devices];
        var now = DateTimeOffset.UtcNow;
        _eventStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddHours(-2);
    }

    public IReadOnlyList<string> DeviceIds { get; }

    /// <summary>Records of device number <paramref name="device"/> the cluster acknowledged: what its twin must apply.</summary>
    public long Delivered(int device) => Interlocked.Read(ref _delivered[device]);

    /// <summary>Valid records the cluster acknowledged.</summary>
    public long DeliveredTotal => _delivered.Sum();

    /// <summary>Poison records produced, with where they landed.</summary>
    public IReadOnlyCollection<ProducedPoison> Poison => _poison;

    public long DeliveryFailures => Interlocked.Read(ref _deliveryFailures);

    public string FirstDeliveryError => _firstDeliveryError;

    /// <summary>The round at which the scenario's fault starts (two fifths into the stream).</summary>
    public int FaultRound => _options.Rounds * 2 / 5;

    /// <summary>The rounds in which every tenth device overloads.</summary>
    public int OverloadRound => _options.Rounds / 2;

    /// <summary>Whether device number <paramref name="device"/> overloads in round <paramref name="round"/>.</summary>
    public bool IsOverloaded(int device, int round) => device % 10 == 0 && round >= OverloadRound && round < OverloadRound + 3;

    /// <summary>Whether device number <paramref name="device"/> goes silent at the fault round (one in ten, in that scenario).</summary>
    public bool IsSilent(int device) => _scenario == Scenario.SilentDevicesDuringCrash && device % 10 == 5;

    /// <summary>Devices that go silent in a fleet of <paramref name="devices"/>.</summary>
    public static int SilentCount(int devices) => (devices + 4) / 10;

    /// <summary>Records each device sends in <paramref name="scenario"/>.</summary>
    public static int RecordsPerDevice(Scenario scenario, int rounds) =>
        scenario == Scenario.Burst ? rounds * 2 / 5 + 3 * (rounds - rounds * 2 / 5) : rounds;

    /// <summary>
    /// Produces the whole stream. At <see cref="FaultRound"/> it flushes, calls <paramref name="startFault"/> and waits
    /// for it (the fault has begun, not necessarily ended), then goes on, so records always follow the fault.
    /// </summary>
    public async Task RunAsync(Func<Task> startFault, CancellationToken cancellation)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = _bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Snappy,
            Partitioner = Confluent.Kafka.Partitioner.Murmur2Random,
            MessageMaxBytes = PoisonRecords.LargeProducerMessageMaxBytes,
        };
        using var producer = new ProducerBuilder<byte[]?, byte[]>(config).Build();
        var pause = _options.StreamDuration / _options.Rounds;
        var poisonPerRound = _scenario == Scenario.Poison ? SpreadPerRound(_options.PoisonRecords, _options.Rounds) : new int[_options.Rounds];
        var large = _scenario == Scenario.Poison ? _options.LargePoisonRecords : 0;
        var largeEvery = Math.Max(1, _options.Rounds / Math.Max(1, large));
        var poisonIndex = 0;
        var started = TimeProvider.System.GetTimestamp();
        for (var round = 0; round < _options.Rounds; round++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (round == FaultRound)
            {
                producer.Flush(cancellation);
                await startFault().ConfigureAwait(false);
            }

            var copies = _scenario == Scenario.Burst && round >= FaultRound ? 3 : 1;
            for (var device = 0; device < DeviceIds.Count; device++)
            {
                if (round >= FaultRound && IsSilent(device))
                {
                    continue;
                }

                for (var copy = 0; copy < copies; copy++)
                {
                    ProduceValid(producer, device, IsOverloaded(device, round) ? 95 : 20);
                }
            }

            for (var p = 0; p < poisonPerRound[round]; p++, poisonIndex++)
            {
                var target = DeviceIds[poisonIndex % DeviceIds.Count];
                // The large ones are spread over the stream: the first poison record of every largeEvery-th round.
                var isLarge = p == 0 && round % largeEvery == 0 && round / largeEvery < large;
                ProducePoison(producer, isLarge ? PoisonRecords.CreateLarge(target) : PoisonRecords.Create(poisonIndex, target));
            }

            // Paced against the clock from the start, so slow produce calls do not stretch the stream.
            var due = pause * (round + 1);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            if (due > elapsed)
            {
                await Task.Delay(due - elapsed, cancellation).ConfigureAwait(false);
            }
        }

        await Task.Run(() => producer.Flush(cancellation), cancellation).ConfigureAwait(false);
    }

    private static int[] SpreadPerRound(int total, int rounds)
    {
        var perRound = new int[rounds];
        for (var i = 0; i < total; i++)
        {
            perRound[i % rounds]++;
        }

        return perRound;
    }

    private void ProduceValid(IProducer<byte[]?, byte[]> producer, int device, int load)
    {
        var id = DeviceIds[device];
        var seq = Interlocked.Increment(ref _produced[device]) - 1;
        var ts = _eventStart.AddSeconds(seq).ToUnixTimeMilliseconds();
        var value = string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{id}}}","ts":{{{ts}}},"metrics":{"seq":{{{seq}}},"load":{{{load}}}}}""");
        Produce(producer, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(id), Value = Encoding.UTF8.GetBytes(value) }, _ => Interlocked.Increment(ref _delivered[device]));
    }

    private void ProducePoison(IProducer<byte[]?, byte[]> producer, PoisonRecord poison) =>
        Produce(producer, new Message<byte[]?, byte[]> { Key = poison.Key, Value = poison.Value }, report => _poison.Add(new ProducedPoison(poison, report.Partition.Value, report.Offset.Value)));

    private void Produce(IProducer<byte[]?, byte[]> producer, Message<byte[]?, byte[]> message, Action<DeliveryReport<byte[]?, byte[]>> delivered)
    {
        while (true)
        {
            try
            {
                producer.Produce(TelemetryTopic, message, report =>
                {
                    if (report.Error.IsError)
                    {
                        if (Interlocked.Increment(ref _deliveryFailures) == 1)
                        {
                            _firstDeliveryError = report.Error.ToString();
                        }
                    }
                    else
                    {
                        delivered(report);
                    }
                });
                return;
            }
            catch (ProduceException<byte[]?, byte[]> exception) when (exception.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
