using DeviceTwins.Silo.Configuration;

namespace DeviceTwins.UnitTests.Configuration;

public sealed class SiloHostOptionsTests
{
    [Theory]
    [InlineData(true, "10.96.0.1", true)]
    [InlineData(true, null, false)]
    [InlineData(true, "", false)]
    [InlineData(false, "10.96.0.1", false)]
    [InlineData(false, null, false)]
    public void UseKubernetesHosting_SwitchAndServiceHost_OnlyBothTurnItOn(bool enabled, string? serviceHost, bool expected)
    {
        var options = new SiloHostOptions { KubernetesHosting = enabled };

        var result = options.UseKubernetesHosting(name => name == SiloHostOptions.KubernetesServiceHostVariable ? serviceHost : "set");

        Assert.Equal(expected, result);
    }
}
