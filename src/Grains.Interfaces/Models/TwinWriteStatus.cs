namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>What a write to a twin (desired properties, tags) did.</summary>
[GenerateSerializer, Alias("dt.twin-write-status")]
public enum TwinWriteStatus
{
    /// <summary>Written (or nothing to change); the result carries the twin.</summary>
    Written,

    /// <summary>The twin does not exist.</summary>
    NotFound,

    /// <summary>The If-Match precondition does not hold for the current version.</summary>
    PreconditionFailed,

    /// <summary>The resulting document would exceed the size limit; nothing changed.</summary>
    TooLarge,

    /// <summary>Too many changes wait to be published; nothing changed, retry later.</summary>
    Busy,

    /// <summary>The write would change the device's tenant, which only a caller of every tenant with the admin role may do.</summary>
    TenantChangeRefused,
}
