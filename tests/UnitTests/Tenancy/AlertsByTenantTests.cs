using DeviceTwins.Grains.Alerts;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.UnitTests.Tenancy;

public sealed class AlertsByTenantTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    private static AlertInfo Alert(string id, string? tenant, string state = AlertStates.Raised) =>
        new(id, "dev-" + id, "overload", "threshold", "load", "critical", state, 95, T0, T0, null, null, null, "load 95 above 90", false, Tenant: tenant);

    [Fact]
    public void Set_GroupsByTenant_MovesAnAlertWhoseTenantChanged_RemoveForgetsIt()
    {
        var index = new AlertsByTenant();
        var a = Alert("a", "acme");
        index.Set(null, a);
        index.Set(null, Alert("b", "globex"));
        index.Set(null, Alert("c", null));
        Assert.Equal(["a"], index.Of("acme").Select(x => x.Id));
        Assert.Equal(["b"], index.Of("globex").Select(x => x.Id));
        Assert.Empty(index.Of("initech"));
        Assert.Equal(2, index.TenantCount);

        var acknowledged = a with { State = AlertStates.Acknowledged };
        index.Set(a, acknowledged);
        Assert.Equal(AlertStates.Acknowledged, Assert.Single(index.Of("acme")).State);

        var moved = acknowledged with { Tenant = "globex" };
        index.Set(acknowledged, moved);
        Assert.Empty(index.Of("acme"));
        Assert.Equal(["a", "b"], index.Of("globex").Select(x => x.Id).Order());
        Assert.Equal(1, index.TenantCount);

        index.Remove(moved);
        index.Remove(Alert("b", "globex"));
        Assert.Empty(index.Of("globex"));
        Assert.Equal(0, index.TenantCount);
    }
}
