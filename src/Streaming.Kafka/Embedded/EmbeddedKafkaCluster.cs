using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace DeviceTwins.Streaming.Kafka.Embedded;

/// <summary>
/// A Kafka-protocol cluster hosted in this process by librdkafka (its mock cluster), reachable over real TCP
/// by any Kafka client. Data lives in memory and is lost when the cluster is disposed.
/// </summary>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    private const int ProducerHandleType = 0;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, int> _topics = new(StringComparer.Ordinal);
    private readonly EmbeddedKafkaBroker[] _brokers;
    private IntPtr _handle;
    private IntPtr _cluster;

    private EmbeddedKafkaCluster(IntPtr handle, IntPtr cluster, int brokerCount)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerCount = brokerCount;
        _brokers = [.. Enumerable.Range(1, brokerCount).Select(id => new EmbeddedKafkaBroker(id, Down: false, RttMs: 0))];
        BootstrapServers = Marshal.PtrToStringUTF8(LibrdkafkaNative.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new KafkaStreamingException("The embedded Kafka cluster reported no bootstrap servers.");
    }

    /// <summary>Comma-separated host:port list of the cluster's brokers (random ports on every start).</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers in the cluster; broker ids run from 1 to this count.</summary>
    public int BrokerCount { get; }

    /// <summary>Topics created through <see cref="CreateTopic"/>, with their partition counts (topics auto-created by clients are not listed).</summary>
    public IReadOnlyDictionary<string, int> Topics => _topics;

    /// <summary>Each broker's state as last set through this instance, by id (1 to <see cref="BrokerCount"/>).</summary>
    public IReadOnlyList<EmbeddedKafkaBroker> Brokers
    {
        get
        {
            lock (_lock)
            {
                return [.. _brokers];
            }
        }
    }

    /// <summary>Starts a cluster with the given number of brokers.</summary>
    public static EmbeddedKafkaCluster Start(int brokerCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        LibrdkafkaNative.EnsureResolver();

        var conf = LibrdkafkaNative.rd_kafka_conf_new();
        // The hosting handle never connects anywhere; silence its "no bootstrap.servers" warning.
        LibrdkafkaNative.rd_kafka_conf_set(conf, "log_level", "3", IntPtr.Zero, UIntPtr.Zero);
        var errstr = Marshal.AllocHGlobal(512);
        try
        {
            var handle = LibrdkafkaNative.rd_kafka_new(ProducerHandleType, conf, errstr, 512);
            if (handle == IntPtr.Zero)
            {
                throw new KafkaStreamingException($"Could not create the librdkafka handle that hosts the embedded cluster: {Marshal.PtrToStringUTF8(errstr)}");
            }

            var cluster = LibrdkafkaNative.rd_kafka_mock_cluster_new(handle, brokerCount);
            if (cluster == IntPtr.Zero)
            {
                LibrdkafkaNative.rd_kafka_destroy(handle);
                throw new KafkaStreamingException("librdkafka could not start the embedded Kafka cluster.");
            }

            return new EmbeddedKafkaCluster(handle, cluster, brokerCount);
        }
        finally
        {
            Marshal.FreeHGlobal(errstr);
        }
    }

    /// <summary>Creates a topic; create every topic before any client asks for it, or it is auto-created with 4 partitions.</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var replicas = Math.Clamp(replicationFactor, 1, BrokerCount);
        Check(LibrdkafkaNative.rd_kafka_mock_topic_create(Cluster(), topic, partitions, replicas), $"create topic '{topic}'");
        _topics[topic] = partitions;
    }

    /// <summary>Takes a broker down (its connections are closed and refused) until <see cref="SetBrokerUp"/>; its partitions keep it as leader.</summary>
    public void SetBrokerDown(int brokerId)
    {
        Check(LibrdkafkaNative.rd_kafka_mock_broker_set_down(Cluster(), brokerId), $"take broker {brokerId} down");
        Update(brokerId, b => b with { Down = true });
    }

    /// <summary>Brings a broker back up.</summary>
    public void SetBrokerUp(int brokerId)
    {
        Check(LibrdkafkaNative.rd_kafka_mock_broker_set_up(Cluster(), brokerId), $"bring broker {brokerId} up");
        Update(brokerId, b => b with { Down = false });
    }

    /// <summary>Delays every response of a broker by <paramref name="rttMs"/> milliseconds (0 removes the delay).</summary>
    public void SetBrokerRtt(int brokerId, int rttMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rttMs);
        Check(LibrdkafkaNative.rd_kafka_mock_broker_set_rtt(Cluster(), brokerId, rttMs), $"set the round-trip time of broker {brokerId}");
        Update(brokerId, b => b with { RttMs = rttMs });
    }

    /// <summary>Moves the leadership of a partition to another broker (-1 leaves it without a leader).</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(LibrdkafkaNative.rd_kafka_mock_partition_set_leader(Cluster(), topic, partition, brokerId), $"move leader of {topic}[{partition}] to broker {brokerId}");

    /// <summary>Makes the next requests of one Kafka API (e.g. 0 = Produce, 1 = Fetch) fail with the given error codes.</summary>
    public void PushRequestErrors(short apiKey, params int[] errorCodes)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        LibrdkafkaNative.rd_kafka_mock_push_request_errors_array(Cluster(), apiKey, (UIntPtr)errorCodes.Length, errorCodes);
    }

    /// <summary>Drops the errors still pushed for one Kafka API.</summary>
    public void ClearRequestErrors(short apiKey) => LibrdkafkaNative.rd_kafka_mock_clear_request_errors(Cluster(), apiKey);

    /// <summary>librdkafka's name of an error code (e.g. 6 = "NOT_LEADER_OR_FOLLOWER", -195 = "_TRANSPORT"); false for a code it does not know.</summary>
    public static bool TryGetErrorName(int errorCode, out string name)
    {
        LibrdkafkaNative.EnsureResolver();
        name = Marshal.PtrToStringUTF8(LibrdkafkaNative.rd_kafka_err2name(errorCode)) ?? string.Empty;
        // Unknown codes come back as "ERR_<code>?".
        return name.Length > 0 && !name.EndsWith('?');
    }

    /// <summary>Stops the cluster; every topic and record it held is gone.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_cluster != IntPtr.Zero)
            {
                LibrdkafkaNative.rd_kafka_mock_cluster_destroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_handle != IntPtr.Zero)
            {
                LibrdkafkaNative.rd_kafka_destroy(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }

    private void Update(int brokerId, Func<EmbeddedKafkaBroker, EmbeddedKafkaBroker> change)
    {
        lock (_lock)
        {
            for (var i = 0; i < _brokers.Length; i++)
            {
                if (brokerId == -1 || _brokers[i].Id == brokerId)
                {
                    _brokers[i] = change(_brokers[i]);
                }
            }
        }
    }

    private IntPtr Cluster()
    {
        var cluster = _cluster;
        ObjectDisposedException.ThrowIf(cluster == IntPtr.Zero, this);
        return cluster;
    }

    private static void Check(int error, string action)
    {
        if (error != 0)
        {
            var message = Marshal.PtrToStringUTF8(LibrdkafkaNative.rd_kafka_err2str(error));
            throw new KafkaStreamingException($"The embedded Kafka cluster could not {action}: {message} (error {error}).");
        }
    }
}
