namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>Turns a Kafka record into a stream event, or rejects it. Called on the receiver's thread for every record; must not block.</summary>
public interface IKafkaRecordMapper
{
    /// <summary>Maps one record. Exceptions are treated as rejections with the exception's message.</summary>
    KafkaRecordMapping Map(in KafkaRecord record);
}
