namespace DeviceTwins.Analytics.Serialization;

/// <summary>Stored analytics state that this version cannot read: corrupt bytes or a format written by a newer version.</summary>
public sealed class AnalyticsStateFormatException : Exception
{
    public AnalyticsStateFormatException(string message)
        : base("Analytics state cannot be read: " + message)
    {
    }

    public AnalyticsStateFormatException(string message, Exception inner)
        : base("Analytics state cannot be read: " + message, inner)
    {
    }
}
