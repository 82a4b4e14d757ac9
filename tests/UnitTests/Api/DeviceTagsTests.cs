using DeviceTwins.Api.Apis;
using Microsoft.AspNetCore.Http;

namespace DeviceTwins.UnitTests.Api;

public sealed class DeviceTagsTests
{
    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON", true)]
    [InlineData("application/json; charset=iso-8859-1", false)]
    [InlineData("text/plain", false)]
    [InlineData("application/merge-patch+json", false)]
    [InlineData("not a media type", false)]
    [InlineData(null, false)]
    public void IsAccepted_OnlyJsonInUtf8(string? contentType, bool accepted) => Assert.Equal(accepted, DeviceTags.IsAccepted(contentType));

    [Theory]
    [InlineData("""{"site":"\ud800"}""")]
    [InlineData("""{"\udc00":"x"}""")]
    public async Task ReadAsync_EscapedLoneSurrogate_RefusedNotThrown(string body)
    {
        var (tags, error) = await Read(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Null(tags);
        Assert.StartsWith("The body must be a JSON object of string values: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8_RefusedNotThrown()
    {
        var (tags, error) = await Read([.. "{\"site\":\""u8, 0xC3, 0x28, .. "\"}"u8]);

        Assert.Null(tags);
        Assert.StartsWith("The body must be a JSON object of string values: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StringValues_GivesTheTags()
    {
        var (tags, error) = await Read("""{"site":"plant-a","model":"x"}"""u8.ToArray());

        Assert.Null(error);
        Assert.Equal(new Dictionary<string, string> { ["site"] = "plant-a", ["model"] = "x" }, tags);
    }

    [Fact]
    public async Task ReadAsync_LargeBodyWithoutContentLength_RefusedAtTheLimit()
    {
        var large = System.Text.Encoding.UTF8.GetBytes("{\"site\":\"" + new string('a', 70_000) + "\"}");

        var (tags, error) = await Read(large);

        Assert.Null(tags);
        Assert.Equal("The body must be at most 65536 bytes.", error);
    }

    private static Task<(Dictionary<string, string>? Tags, string? Error)> Read(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        return DeviceTags.ReadAsync(context.Request, CancellationToken.None);
    }
}
