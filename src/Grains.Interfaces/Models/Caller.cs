namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>
/// Who asks a twin: the name the audit trail records (an API key's name or a token's subject), the tenant the caller
/// is confined to (null: every tenant, a platform operator), and whether it may assign a device's tenant.
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.caller")]
public sealed record Caller(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Tenant,
    [property: Id(2)] bool MayAssignTenant)
{
    /// <summary>The platform itself: every tenant, may assign tenants (tools, tests, internal calls).</summary>
    public static Caller Platform { get; } = new("platform", null, true);

    /// <summary>Whether a device carrying <paramref name="tags"/> is visible to this caller.</summary>
    public bool Sees(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return Tenant is null || string.Equals(Tenants.Of(tags), Tenant, StringComparison.Ordinal);
    }
}
