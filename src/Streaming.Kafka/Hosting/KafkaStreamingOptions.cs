namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>Settings of one Kafka stream provider.</summary>
public sealed class KafkaStreamingOptions
{
    /// <summary>Kafka bootstrap servers, host:port[,host:port...].</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>Topics to read; every partition of every topic becomes one Orleans queue.</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>Consumer group under which offsets are committed (partitions are assigned by Orleans, never by the group).</summary>
    public string ConsumerGroup { get; set; } = "devicetwins";

    /// <summary>Topic receiving records that cannot be decoded or delivered, with the reason in a header.</summary>
    public string DeadLetterTopic { get; set; } = string.Empty;

    /// <summary>Most records taken from a partition per read; larger reads group more records per stream.</summary>
    public int MaxRecordsPerRead { get; set; } = 65_536;

    /// <summary>Most undelivered records held per queue; reading pauses while another read would exceed it (back-pressure).</summary>
    public int CacheCapacity { get; set; } = 131_072;

    /// <summary>Most undelivered records held by all queues of the provider in one silo, whatever the partitions it owns.</summary>
    public long SiloCacheCapacity { get; set; } = 1_000_000;

    /// <summary>
    /// Most streams new to the silo's queue caches (consumers to activate) whose first batch is not delivered yet; reads
    /// pause at the limit, so a backlog of a whole fleet activates its twins a few thousand at a time.
    /// </summary>
    public int SiloNewStreamCapacity { get; set; } = 4_096;

    /// <summary>
    /// How long a pulling agent keeps a stream's consumers registered after its last record (Orleans'
    /// <c>StreamInactivityPeriod</c>, 30 min by default there). Each costs memory per device seen, whether or not its
    /// consumer is still active; a stream's next record registers it again.
    /// </summary>
    public TimeSpan StreamInactivityPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the pulling agent retries a delivery before the batch is dead-lettered; covers storage outages.</summary>
    public TimeSpan MaxDeliveryTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest wait between retries of a failed delivery (from 100 ms, doubling). Short, because a failed delivery
    /// costs little (the twin store fails fast while it is down) and processing resumes this soon after an outage.
    /// </summary>
    public TimeSpan DeliveryRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>librdkafka's per-consumer prefetch bound (queued.max.messages.kbytes).</summary>
    public int MaxPrefetchKilobytes { get; set; } = 16_384;

    /// <summary>
    /// Longest time a broker holds a fetch that finds no new records (fetch.wait.max.ms). A real broker answers as soon as
    /// records arrive, so the default costs no latency there; librdkafka's Kafka-protocol test cluster always waits this long.
    /// </summary>
    public TimeSpan FetchWaitMax { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often a partition's pulling agent looks for new records when its last read found none (Orleans'
    /// GetQueueMsgsTimerPeriod): a record that arrives while the agent waits is read up to this much later.
    /// </summary>
    public TimeSpan ReadPeriod { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often stored (delivered and durable) offsets are committed to the consumer group.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of blocking Kafka calls (metadata, commit, close, dead-letter produce).</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra librdkafka settings for consumers and the dead-letter producer (for security, for example); never logged.</summary>
    [Redact]
    public Dictionary<string, string> ClientSettings { get; set; } = [];
}
