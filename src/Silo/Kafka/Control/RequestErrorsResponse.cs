namespace DeviceTwins.Silo.Kafka.Control;

/// <summary>The errors pushed for one Kafka API, with librdkafka's name of each code.</summary>
public sealed record RequestErrorsResponse(short ApiKey, IReadOnlyList<int> Errors, IReadOnlyList<string> Names);
