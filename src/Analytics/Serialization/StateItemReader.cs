namespace DeviceTwins.Analytics.Serialization;

/// <summary>Reads one item of a list or map of the analytics state format.</summary>
internal delegate T StateItemReader<out T>(ref StateReader reader);
