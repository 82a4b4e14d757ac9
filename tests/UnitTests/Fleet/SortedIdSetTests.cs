using DeviceTwins.Grains.Index;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class SortedIdSetTests
{
    [Fact]
    public void After_WalksTheIdsInOrdinalOrder_FromTheCursor()
    {
        var set = new SortedIdSet();
        foreach (var id in new[] { "m-2", "m-10", "M-1", "m-3" })
        {
            Assert.True(set.Add(id));
        }

        Assert.Equal(["M-1", "m-10", "m-2", "m-3"], set.After(null).ToArray());
        Assert.Equal(["m-2", "m-3"], set.After("m-10").ToArray());
        // A cursor the set does not hold starts at the next id above it.
        Assert.Equal(["m-10", "m-2", "m-3"], set.After("m-1").ToArray());
        Assert.Empty(set.After("m-3").ToArray());
        Assert.Equal(4, set.Count);
    }

    [Fact]
    public void AddAndRemove_AfterAWalk_ShowInTheNextWalk()
    {
        var set = new SortedIdSet();
        set.Add("b");
        set.Add("d");
        Assert.Equal(["b", "d"], set.After(null).ToArray());
        Assert.False(set.Add("b"));
        Assert.True(set.Add("a"));
        Assert.True(set.Add("c"));
        Assert.True(set.Remove("d"));
        Assert.False(set.Remove("z"));
        Assert.Equal(["a", "b", "c"], set.After(null).ToArray());
        Assert.True(set.Contains("c"));
        Assert.False(set.Contains("d"));
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public void After_OnASortedArray_StartsAboveTheCursor()
    {
        string[] ordered = ["a", "c", "e"];
        Assert.Equal(["a", "c", "e"], SortedIdSet.After(ordered, null).ToArray());
        Assert.Equal(["e"], SortedIdSet.After(ordered, "c").ToArray());
        Assert.Equal(["c", "e"], SortedIdSet.After(ordered, "b").ToArray());
        Assert.Empty(SortedIdSet.After(ordered, "f").ToArray());
        Assert.Empty(SortedIdSet.After([], "a").ToArray());
    }
}
