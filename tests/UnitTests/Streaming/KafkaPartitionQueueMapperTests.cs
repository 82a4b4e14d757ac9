using Confluent.Kafka;
using DeviceTwins.Streaming.Kafka.Providers;

namespace DeviceTwins.UnitTests.Streaming;

public sealed class KafkaPartitionQueueMapperTests
{
    [Fact]
    public void Create_OneQueuePerPartitionOfEveryTopic()
    {
        var mapper = KafkaPartitionQueueMapper.Create("telemetry", [("iot.sensor.us-east.temperature", 3), ("iot.sensor.eu-west.temperature", 2)]);

        var partitions = mapper.QueueMapper.GetAllQueues().Select(mapper.GetPartition).OrderBy(p => p.Topic).ThenBy(p => p.Partition.Value).ToList();

        Assert.Equal(5, partitions.Count);
        Assert.Equal(
            [
                new TopicPartition("iot.sensor.eu-west.temperature", 0), new TopicPartition("iot.sensor.eu-west.temperature", 1),
                new TopicPartition("iot.sensor.us-east.temperature", 0), new TopicPartition("iot.sensor.us-east.temperature", 1), new TopicPartition("iot.sensor.us-east.temperature", 2),
            ],
            partitions);
    }

    [Fact]
    public void Create_NoPartitions_Throws()
    {
        Assert.Throws<DeviceTwins.Streaming.Kafka.KafkaStreamingException>(() => KafkaPartitionQueueMapper.Create("telemetry", []));
    }
}
