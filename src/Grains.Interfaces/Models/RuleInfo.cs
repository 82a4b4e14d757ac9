namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>
/// A rule in force for a device: its detector, the metric patterns it selects, the device's metrics it watches so far,
/// the severity of its alerts and its parameters as JSON.
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.rule")]
public sealed record RuleInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Detector,
    [property: Id(2)] IReadOnlyList<string> Patterns,
    [property: Id(3)] IReadOnlyList<string> Watching,
    [property: Id(4)] string Severity,
    [property: Id(5)] string ParametersJson);
