using DeviceTwins.Grains.Interfaces;

namespace DeviceTwins.ApiTests;

/// <summary>References by key with the types resolved once address the same grain, through the same interface, as Orleans' own.</summary>
[Collection(ApiCollection.Name)]
public sealed class GrainReferencesTests(ApiFixture fixture)
{
    [Fact]
    public void ByKey_EqualsOrleansReference_ForStringAndIntegerKeys()
    {
        var grains = fixture.Grains;
        foreach (var id in new[] { "pump-1", "pump-2", ApiFixture.NewDeviceId("refs") })
        {
            var ours = (GrainReference)(object)grains.GetGrainByKey<IDeviceTwinGrain>(id);
            var orleans = (GrainReference)(object)grains.GetGrain<IDeviceTwinGrain>(id);
            Assert.Equal(orleans.GrainId, ours.GrainId);
            Assert.Equal(orleans.InterfaceType, ours.InterfaceType);
            Assert.Equal(orleans, ours);
        }

        foreach (var shard in new long[] { 0, 1, 63 })
        {
            var ours = (GrainReference)(object)grains.GetGrainByKey<IDeviceIndexGrain>(shard);
            var orleans = (GrainReference)(object)grains.GetGrain<IDeviceIndexGrain>(shard);
            Assert.Equal(orleans.GrainId, ours.GrainId);
            Assert.Equal(orleans.InterfaceType, ours.InterfaceType);
        }

        Assert.Throws<ArgumentException>(() => grains.GetGrainByKey<IDeviceTwinGrain>(" "));
    }
}
