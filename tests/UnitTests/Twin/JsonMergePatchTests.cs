using System.Text.Json.Nodes;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.UnitTests.Twin;

public sealed class JsonMergePatchTests
{
    // RFC 7396 appendix A, every example, results compared as exact compact text.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_Rfc7396AppendixA_GivesTheRfcsResult(string original, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch));

        Assert.Equal(expected, JsonValues.Write(result));
    }

    [Fact]
    public void Apply_Rfc7396Section3Example_ChangesOnlyWhatThePatchNames()
    {
        var target = JsonNode.Parse("""{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}""");
        var patch = JsonNode.Parse("""{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}""");

        var result = JsonMergePatch.Apply(target, patch);

        Assert.Equal("""{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}""", JsonValues.Write(result));
    }

    [Fact]
    public void Apply_NeverChangesThePatch_AndNestedObjectsMergeDeeply()
    {
        var patch = JsonNode.Parse("""{"config":{"net":{"ssid":"plant"},"rate":5}}""");
        var result = JsonMergePatch.Apply(JsonNode.Parse("""{"config":{"net":{"ssid":"old","dhcp":true},"mode":"eco"}}"""), patch);

        Assert.Equal("""{"config":{"net":{"ssid":"plant","dhcp":true},"mode":"eco","rate":5}}""", JsonValues.Write(result));
        Assert.Equal("""{"config":{"net":{"ssid":"plant"},"rate":5}}""", JsonValues.Write(patch));
    }
}
