namespace DeviceTwins.Grains.Persistence;

/// <summary>How many closed windows and cleared alerts a twin retains (<c>Analytics:Windows:Retained</c>, <c>Alerts:Retained</c>).</summary>
public readonly record struct TwinHistoryLimits(int Windows, int Alerts);
