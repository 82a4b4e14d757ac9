using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

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

    [Theory]
    [InlineData(0, true)]
    [InlineData(20, true)]
    [InlineData(80, true)]
    [InlineData(99, true)]
    [InlineData(19, false)]
    [InlineData(100, false)]
    [InlineData(-1, false)]
    public void ShedActivationsAbovePercent_ZeroOrTwentyToNinetyNine(int percent, bool valid)
    {
        var result = new SiloHostOptionsValidator().Validate(null, new SiloHostOptions { ShedActivationsAbovePercent = percent });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Silo:ShedActivationsAbovePercent must be 0 (off) or between 20 and 99.", result.Failures!);
        }
    }

    [Theory]
    [InlineData(80, true, 80, 70)]
    [InlineData(60, true, 60, 50)]
    [InlineData(0, false, 80, 75)]
    public void MemoryShedding_ConfiguresOrleansGrainCollection(int percent, bool enabled, double limit, double target)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddDeviceTwinsMemoryShedding(new SiloHostOptions { ShedActivationsAbovePercent = percent }));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.Equal((enabled, limit, target), (options.EnableActivationSheddingOnMemoryPressure, options.MemoryUsageLimitPercentage, options.MemoryUsageTargetPercentage));
    }
}
