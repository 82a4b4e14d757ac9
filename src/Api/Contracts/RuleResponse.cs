using System.Text.Json;

namespace DeviceTwins.Api.Contracts;

/// <summary>A rule in force for a device: detector, metric patterns, the metrics it watches so far, severity and parameters.</summary>
public sealed record RuleResponse(string Name, string Detector, IReadOnlyList<string> Metrics, IReadOnlyList<string> Watching, string Severity, JsonElement Parameters);
