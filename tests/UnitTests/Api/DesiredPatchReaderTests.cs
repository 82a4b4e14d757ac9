using System.Text;
using DeviceTwins.Api.Apis;
using DeviceTwins.Api.Configuration;
using Microsoft.AspNetCore.Http;

namespace DeviceTwins.UnitTests.Api;

public sealed class DesiredPatchReaderTests
{
    private static readonly TwinOptions Limits = new() { MaxDocumentBytes = 64, MaxDepth = 3 };

    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/json")]
    [InlineData("application/merge-patch+json; charset=utf-8")]
    public async Task ReadAsync_MergePatchOrJson_GivesThePatch(string contentType)
    {
        var (patch, status, detail) = await Read(contentType, """{"a":{"b":{"c":1}}}""");

        Assert.Equal("""{"a":{"b":{"c":1}}}""", patch);
        Assert.Equal(200, status);
        Assert.Null(detail);
    }

    [Theory]
    [InlineData("text/plain", """{"a":1}""", 415)]
    [InlineData(null, """{"a":1}""", 415)]
    [InlineData("application/json; charset=latin1", """{"a":1}""", 415)]
    [InlineData("application/merge-patch+json", """{"a":"0123456789012345678901234567890123456789012345678901234567890"}""", 413)]
    [InlineData("application/merge-patch+json", """{"a":{"b":{"c":{"d":1}}}}""", 400)]
    [InlineData("application/merge-patch+json", """{"a":[[[1]]]}""", 400)]
    [InlineData("application/merge-patch+json", """{"a":""", 400)]
    [InlineData("application/merge-patch+json", "", 400)]
    [InlineData("application/merge-patch+json", "[1]", 400)]
    [InlineData("application/merge-patch+json", """{"a":1,"a":2}""", 400)]
    [InlineData("application/merge-patch+json", """{"a":1} {}""", 400)]
    [InlineData("application/merge-patch+json", """{"a":"\ud800"}""", 400)]
    [InlineData("application/merge-patch+json", """{"\udc00":1}""", 400)]
    public async Task ReadAsync_BadRequest_GivesItsStatus(string? contentType, string body, int expected)
    {
        var (patch, status, detail) = await Read(contentType, body);

        Assert.Null(patch);
        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(detail));
    }

    [Fact]
    public async Task ReadAsync_TooDeep_NamesTheLimit()
    {
        var (_, _, detail) = await Read("application/json", """{"a":{"b":{"c":{"d":1}}}}""");

        Assert.Equal("The patch is nested deeper than the limit (Twin:MaxDepth) of 3 levels.", detail);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8_400()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream([.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8]);

        var (patch, status, detail) = await DesiredPatchReader.ReadAsync(context.Request, Limits, CancellationToken.None);

        Assert.Null(patch);
        Assert.Equal(400, status);
        Assert.Equal("The body must be one JSON object: the body is not valid UTF-8.", detail);
    }

    private static Task<(string? Patch, int Status, string? Detail)> Read(string? contentType, string body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return DesiredPatchReader.ReadAsync(context.Request, Limits, CancellationToken.None);
    }
}
