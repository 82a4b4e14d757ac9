namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A position in the fleet's alert order (newest raise first, then id).</summary>
[GenerateSerializer, Immutable, Alias("dt.alert-cursor")]
public sealed record AlertCursor([property: Id(0)] DateTimeOffset RaisedAt, [property: Id(1)] string Id)
{
    /// <summary>Whether <paramref name="alert"/> comes after this position.</summary>
    public bool Precedes(AlertInfo alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.RaisedAt < RaisedAt || (alert.RaisedAt == RaisedAt && string.CompareOrdinal(alert.Id, Id) > 0);
    }
}
