namespace DeviceTwins.Bench;

/// <summary>An end-to-end run's exit code and the silo's managed heap and resident set after an induced full collection.</summary>
internal sealed record EndToEndResult(int ExitCode, long SettledHeap, long SettledRss);
