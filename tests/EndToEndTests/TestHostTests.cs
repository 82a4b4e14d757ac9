using System.Reflection;
using DeviceTwins.FaultCampaign;
using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// Free ports come from one registry per process, though <see cref="TestHost"/> is compiled into both this assembly and
/// the fault campaign's: with a registry each, two platforms of tests running side by side got the same port.
/// </summary>
public sealed class TestHostTests
{
    [Fact]
    public void FreePort_EveryCopyInTheProcess_SharesOneRegistry_AndNeverHandsOutAPortTwice()
    {
        var campaignCopy = typeof(Campaign).Assembly.GetType(typeof(TestHost).FullName!, throwOnError: true)!;
        Assert.NotSame(typeof(TestHost), campaignCopy);
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Static;
        Assert.Same(typeof(TestHost).GetField("HandedOut", flags)!.GetValue(null), campaignCopy.GetField("HandedOut", flags)!.GetValue(null));

        var ours = Enumerable.Range(0, 200).Select(_ => TestHost.FreePort()).ToHashSet();
        var freePort = campaignCopy.GetMethod(nameof(TestHost.FreePort), Type.EmptyTypes)!;
        var theirs = Enumerable.Range(0, 200).Select(_ => (int)freePort.Invoke(null, null)!).ToList();
        Assert.DoesNotContain(theirs, ours.Contains);
        Assert.Equal(200, theirs.Distinct().Count());
    }
}
