namespace DeviceTwins.Silo.Storage;

/// <summary>State of the <see cref="TwinStoreCircuit"/>.</summary>
public enum TwinStoreCircuitState
{
    /// <summary>Operations pass.</summary>
    Closed,

    /// <summary>Operations fail at once; a probe runs when the probe interval has passed.</summary>
    Open,

    /// <summary>Operations fail at once; one probe is in flight.</summary>
    HalfOpen,
}
