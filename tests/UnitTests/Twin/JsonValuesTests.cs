using System.Text.Json.Nodes;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.UnitTests.Twin;

public sealed class JsonValuesTests
{
    [Theory]
    [InlineData("1", "1.0", true)]
    [InlineData("1", "1e0", true)]
    [InlineData("0.1", "1E-1", true)]
    [InlineData("-0", "0", true)]
    [InlineData("1", "1.0000000000000000000000001", false)]
    [InlineData("1e400", "1e400", true)]
    [InlineData("1", "\"1\"", false)]
    [InlineData("true", "true", true)]
    [InlineData("true", "false", false)]
    [InlineData("null", "null", true)]
    [InlineData("\"a\"", "\"A\"", false)]
    [InlineData("[1,2]", "[1.0,2]", true)]
    [InlineData("[1,2]", "[2,1]", false)]
    [InlineData("[1]", "[1,1]", false)]
    [InlineData("""{"a":1,"b":[true]}""", """{"b":[true],"a":1.0}""", true)]
    [InlineData("""{"a":1}""", """{"a":1,"b":null}""", false)]
    [InlineData("""{}""", "[]", false)]
    public void Equal_ComparesByKindAndValue_NumbersByValue(string a, string b, bool expected)
    {
        Assert.Equal(expected, JsonValues.Equal(JsonNode.Parse(a), JsonNode.Parse(b)));
        Assert.Equal(expected, JsonValues.Equal(JsonNode.Parse(b), JsonNode.Parse(a)));
    }

    [Fact]
    public void Write_KeepsNonAsciiTextUnescaped()
    {
        Assert.Equal("""{"site":"café"}""", JsonValues.Write(JsonNode.Parse("""{"site":"caf\u00e9"}""")));
    }
}
