using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Alerts;

/// <summary>
/// The alerts of one index shard grouped by their device's tenant (plain C#, kept beside the shard's alerts and built
/// again from them on activation), so a tenant's query reads that tenant's alerts alone.
/// </summary>
public sealed class AlertsByTenant
{
    private readonly Dictionary<string, Dictionary<string, AlertInfo>> _tenants = new(StringComparer.Ordinal);

    /// <summary>Tenants with at least one alert.</summary>
    public int TenantCount => _tenants.Count;

    /// <summary>Records <paramref name="next"/>, which replaces <paramref name="previous"/> (null: a new alert), moving it when its tenant changed.</summary>
    public void Set(AlertInfo? previous, AlertInfo next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (previous is not null && !string.Equals(previous.Tenant, next.Tenant, StringComparison.Ordinal))
        {
            Remove(previous);
        }

        if (next.Tenant is { } tenant)
        {
            if (!_tenants.TryGetValue(tenant, out var alerts))
            {
                _tenants[tenant] = alerts = new Dictionary<string, AlertInfo>(StringComparer.Ordinal);
            }

            alerts[next.Id] = next;
        }
    }

    /// <summary>Forgets <paramref name="alert"/>.</summary>
    public void Remove(AlertInfo alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Tenant is { } tenant && _tenants.TryGetValue(tenant, out var alerts) && alerts.Remove(alert.Id) && alerts.Count == 0)
        {
            _tenants.Remove(tenant);
        }
    }

    /// <summary>The alerts of <paramref name="tenant"/>'s devices.</summary>
    public IEnumerable<AlertInfo> Of(string tenant) =>
        _tenants.TryGetValue(tenant, out var alerts) ? alerts.Values : [];
}
