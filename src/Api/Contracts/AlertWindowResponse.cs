namespace DeviceTwins.Api.Contracts;

/// <summary>The metric's window statistics when an alert changed.</summary>
public sealed record AlertWindowResponse(DateTimeOffset Start, DateTimeOffset End, long Count, double Min, double Max, double Mean, double StdDev);
