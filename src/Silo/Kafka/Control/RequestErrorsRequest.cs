namespace DeviceTwins.Silo.Kafka.Control;

/// <summary>Body of POST /requests/{apiKey}/errors: the error codes the next requests of that API fail with, in order.</summary>
public sealed record RequestErrorsRequest(IReadOnlyList<int>? Errors);
