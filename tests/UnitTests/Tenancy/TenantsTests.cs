using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.UnitTests.Tenancy;

public sealed class TenantsTests
{
    [Theory]
    [InlineData("acme", true)]
    [InlineData("acme-eu.2_b", true)]
    [InlineData("", false)]
    [InlineData("Acme", false)]
    [InlineData("acme corp", false)]
    [InlineData("acme/eu", false)]
    public void IsValid_FollowsTheRule(string tenant, bool valid) => Assert.Equal(valid, Tenants.IsValid(tenant));

    [Fact]
    public void IsValid_AtMost64Characters() =>
        Assert.Equal((true, false), (Tenants.IsValid(new string('a', 64)), Tenants.IsValid(new string('a', 65))));

    [Fact]
    public void Caller_OfOneTenant_SeesItsTenantsDevicesOnly_OfEveryTenant_SeesAll()
    {
        var acme = new Dictionary<string, string> { ["tenant"] = "acme", ["site"] = "a" };
        var globex = new Dictionary<string, string> { ["tenant"] = "globex" };
        var none = new Dictionary<string, string> { ["site"] = "a" };
        var caller = new Caller("acme-reader", "acme", false);
        Assert.Equal((true, false, false), (caller.Sees(acme), caller.Sees(globex), caller.Sees(none)));
        Assert.Equal((true, true, true), (Caller.Platform.Sees(acme), Caller.Platform.Sees(globex), Caller.Platform.Sees(none)));
        Assert.Equal(("acme", null), (Tenants.Of(acme), Tenants.Of(none)));
    }
}
