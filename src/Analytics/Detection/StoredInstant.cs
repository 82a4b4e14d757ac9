namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// An optional instant kept as two plain fields of a state class: its UTC ticks (<see cref="None"/> for no instant) and its
/// offset in minutes. A <c>DateTimeOffset?</c> field takes 24 bytes; these take 10, packed beside the class's other small fields.
/// </summary>
internal static class StoredInstant
{
    /// <summary>The ticks that stand for no instant.</summary>
    public const long None = long.MinValue;

    public static DateTimeOffset? Read(long utcTicks, short offsetMinutes)
    {
        if (utcTicks == None)
        {
            return null;
        }

        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    public static void Write(DateTimeOffset? value, out long utcTicks, out short offsetMinutes)
    {
        utcTicks = value?.UtcTicks ?? None;
        offsetMinutes = value is { } instant ? (short)instant.TotalOffsetMinutes : (short)0;
    }
}
