namespace DeviceTwins.Analytics.Detection;

/// <summary>What a detector judged when its condition started or ended: the statistic, its value, and the threshold it crossed.</summary>
/// <param name="Statistic">The statistic's name, for example <c>|z|</c>, <c>sustained score</c> or <c>seconds silent</c>.</param>
/// <param name="Value">The statistic's value at the record.</param>
/// <param name="Threshold">The threshold it crossed: exceeded to raise, fallen back within to clear.</param>
public sealed record DetectorEvidence(string Statistic, double Value, double Threshold);
