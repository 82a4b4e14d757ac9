using System.Text.Json.Nodes;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.UnitTests.Twin;

public sealed class TwinDeltaTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("""{}""", """{"a":1}""", """{}""")]
    [InlineData("""{"a":1}""", """{}""", """{"a":1}""")]
    [InlineData("""{"a":1}""", """{"a":1.0}""", """{}""")]
    [InlineData("""{"a":1}""", """{"a":"1"}""", """{"a":1}""")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1,"b":3,"c":4}""", """{"b":2}""")]
    [InlineData("""{"cfg":{"net":{"ssid":"x","dhcp":true},"rate":5}}""", """{"cfg":{"net":{"ssid":"x","dhcp":false},"rate":5}}""", """{"cfg":{"net":{"dhcp":true}}}""")]
    [InlineData("""{"cfg":{"rate":5}}""", """{"cfg":7}""", """{"cfg":{"rate":5}}""")]
    [InlineData("""{"cfg":{"rate":5}}""", """{"cfg":{"rate":5,"extra":1}}""", """{}""")]
    [InlineData("""{"cfg":{}}""", """{}""", """{}""")]
    [InlineData("""{"cfg":7}""", """{"cfg":{"rate":7}}""", """{"cfg":7}""")]
    [InlineData("""{"ch":[1,2,3]}""", """{"ch":[1,2,3]}""", """{}""")]
    [InlineData("""{"ch":[1,2,3]}""", """{"ch":[1,2]}""", """{"ch":[1,2,3]}""")]
    [InlineData("""{"ch":[{"a":1}]}""", """{"ch":[{"a":1.0}]}""", """{}""")]
    [InlineData("""{"on":false}""", """{"on":null}""", """{"on":false}""")]
    public void Compute_GivesTheDesiredLeavesThatDifferFromReported(string desired, string reported, string expected)
    {
        var delta = TwinDelta.Compute(JsonValues.ParseDocument(desired), JsonValues.ParseDocument(reported));

        Assert.Equal(expected, JsonValues.Write(delta));
    }

    [Fact]
    public void PendingSince_IsTheOldestDesiredChangeStillInTheDelta()
    {
        var metadata = new Dictionary<string, PropertyMetadata>
        {
            ["/cfg/rate"] = new(T0.AddMinutes(2), PropertyMetadata.RestSource),
            ["/cfg/mode"] = new(T0, PropertyMetadata.RestSource),
            ["/fw"] = new(T0.AddMinutes(1), PropertyMetadata.RestSource),
        };

        Assert.Equal(T0.AddMinutes(1), TwinDelta.PendingSince((JsonObject)JsonNode.Parse("""{"cfg":{"rate":5},"fw":"2.0"}""")!, metadata));
        Assert.Equal(T0, TwinDelta.PendingSince((JsonObject)JsonNode.Parse("""{"cfg":{"rate":5,"mode":"eco"}}""")!, metadata));
        Assert.Null(TwinDelta.PendingSince([], metadata));
    }

    [Fact]
    public void PendingSince_LeafWithoutItsOwnMetadata_TakesTheNearestEnclosingOne()
    {
        var metadata = new Dictionary<string, PropertyMetadata> { ["/cfg"] = new(T0, PropertyMetadata.RestSource) };

        Assert.Equal(T0, TwinDelta.PendingSince((JsonObject)JsonNode.Parse("""{"cfg":{"rate":5}}""")!, metadata));
    }
}
