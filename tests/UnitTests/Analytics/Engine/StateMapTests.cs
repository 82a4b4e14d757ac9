using System.Text.Json;
using DeviceTwins.Analytics;

namespace DeviceTwins.UnitTests.Analytics.Engine;

public sealed class StateMapTests
{
    [Fact]
    public void Entries_KeepInsertionOrder_ThroughSetsAndRemoves()
    {
        var map = new StateMap<int> { ["b"] = 1, ["a"] = 2, ["c"] = 3, ["d"] = 4, ["e"] = 5 };
        map["a"] = 20;
        Assert.True(map.Remove("c"));
        Assert.False(map.Remove("c"));
        map["f"] = 6;

        Assert.Equal(["b", "a", "d", "e", "f"], map.Keys);
        Assert.Equal([1, 20, 4, 5, 6], map.Values);
        Assert.Equal(5, map.Count);
    }

    [Fact]
    public void Lookup_IsOrdinal_AndAbsentNamesAreReported()
    {
        var map = new StateMap<string>();
        map.Add("Temp", "upper");

        Assert.True(map.TryGetValue(new string("Temp".ToCharArray()), out var found));
        Assert.Equal("upper", found);
        Assert.False(map.ContainsKey("temp"));
        Assert.Throws<KeyNotFoundException>(() => map["temp"]);
        Assert.Throws<ArgumentException>(() => map.Add("Temp", "again"));
    }

    [Fact]
    public void Json_IsAnObject_AsTheDictionaryItReplacedWas()
    {
        var map = new StateMap<StateMap<double>> { ["temperature"] = new() { ["z"] = 1.5, ["t"] = 2 }, [""] = new() { ["offline"] = 3 } };

        var json = JsonSerializer.Serialize(map);
        var copy = JsonSerializer.Deserialize<StateMap<StateMap<double>>>(json)!;

        Assert.Equal("""{"temperature":{"z":1.5,"t":2},"":{"offline":3}}""", json);
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(json)));
        Assert.Equal(json, JsonSerializer.Serialize(copy));
    }
}
