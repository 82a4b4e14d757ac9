namespace DeviceTwins.Api.Contracts;

/// <summary>The latest value of one metric and its event time.</summary>
public sealed record MetricValueResponse(double Value, DateTimeOffset Ts);
