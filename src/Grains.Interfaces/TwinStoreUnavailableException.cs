namespace DeviceTwins.Grains.Interfaces;

/// <summary>
/// The twin store (Redis) could not be reached to read or write a grain's state; retrying later may succeed.
/// Defined here, beside the grain interfaces, so that an Orleans client (the stand-alone API) can deserialize it.
/// </summary>
[GenerateSerializer, Alias("dt.twin-store-unavailable")]
public sealed class TwinStoreUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TwinStoreUnavailableException()
        : base("The twin store is not reachable.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TwinStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public TwinStoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
