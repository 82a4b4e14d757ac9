using DeviceTwins.Grains.Interfaces.Fleet;
using DeviceTwins.Grains.Interfaces.Models;
using static DeviceTwins.UnitTests.Fleet.FleetSamples;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class FleetMergeTests
{
    private static IReadOnlyList<FleetDevice> Ids(params string[] ids) => [.. ids.Select(id => Found(id))];

    [Fact]
    public void Merge_InterleavesSortedSources_ByOrdinalId()
    {
        var merged = FleetMerge.Merge([Ids("a", "d", "g"), Ids("b", "e"), Ids(), Ids("B", "c", "f", "h")], 100);
        Assert.Equal(["B", "a", "b", "c", "d", "e", "f", "g", "h"], merged.Select(d => d.DeviceId));
    }

    [Fact]
    public void Merge_StopsAtTake()
    {
        var merged = FleetMerge.Merge([Ids("a", "d", "g"), Ids("b", "e"), Ids("c", "f")], 4);
        Assert.Equal(["a", "b", "c", "d"], merged.Select(d => d.DeviceId));
    }

    [Fact]
    public void Merge_OfNothing_IsEmpty()
    {
        Assert.Empty(FleetMerge.Merge([], 10));
        Assert.Empty(FleetMerge.Merge([Ids(), Ids()], 10));
        Assert.Empty(FleetMerge.Merge([Ids("a")], 0));
    }

    [Fact]
    public void Merge_KeepsOneCopyOfADeviceInTwoSources_TheHigherVersion()
    {
        IReadOnlyList<FleetDevice> first = [Found("a", 3), Found("b", 1)];
        IReadOnlyList<FleetDevice> second = [Found("a", 5), Found("c", 1)];
        var merged = FleetMerge.Merge([first, second], 3);
        Assert.Equal(["a", "b", "c"], merged.Select(d => d.DeviceId));
        Assert.Equal(5, merged[0].Summary.Version);
    }

    [Fact]
    public void Merge_ADuplicateJustBeyondTake_DoesNotEndThePageEarly()
    {
        var merged = FleetMerge.Merge([Ids("a", "b"), Ids("b", "c")], 2);
        Assert.Equal(["a", "b"], merged.Select(d => d.DeviceId));
    }

    [Fact]
    public void PagesOfTheMerge_WalkEveryDeviceOnce()
    {
        // Three shards; pages of 2 computed as the API does: each shard's first take after the cursor, merged.
        var shards = new[] { Ids("a", "d", "g", "j"), Ids("b", "e", "h"), Ids("c", "f", "i", "k", "l") };
        var walked = new List<string>();
        string? after = null;
        do
        {
            var answers = shards.Select(s => (IReadOnlyList<FleetDevice>)[.. s.Where(d => after is null || string.CompareOrdinal(d.DeviceId, after) > 0).Take(3)]).ToList();
            var page = FleetMerge.Merge(answers, 3);
            walked.AddRange(page.Take(2).Select(d => d.DeviceId));
            after = page.Count > 2 ? page[1].DeviceId : null;
        }
        while (after is not null);

        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"], walked);
    }
}
