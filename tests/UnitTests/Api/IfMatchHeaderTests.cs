using DeviceTwins.Api.Apis;
using Microsoft.Extensions.Primitives;

namespace DeviceTwins.UnitTests.Api;

public sealed class IfMatchHeaderTests
{
    [Fact]
    public void TryParse_NoHeader_IsNoPrecondition()
    {
        Assert.True(IfMatchHeader.TryParse(StringValues.Empty, out var condition));
        Assert.Null(condition);
    }

    [Theory]
    [InlineData("*", true, new long[0])]
    [InlineData("\"7\"", false, new long[] { 7 })]
    [InlineData("\"7\", \"9\"", false, new long[] { 7, 9 })]
    public void TryParse_StarOrStrongVersionTags(string header, bool any, long[] versions)
    {
        Assert.True(IfMatchHeader.TryParse(header, out var condition));

        Assert.Equal(any, condition!.AnyVersion);
        Assert.Equal(versions, condition.Versions);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("W/\"7\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"\"")]
    [InlineData("*, \"7\"")]
    public void TryParse_Malformed_IsRefused(string header)
    {
        Assert.False(IfMatchHeader.TryParse(header, out _));
    }

    [Fact]
    public void Precondition_StarMatchesAnyExistingTwin_NeverAMissingOne()
    {
        IfMatchHeader.TryParse("*", out var any);
        IfMatchHeader.TryParse("\"3\"", out var three);

        Assert.True(any!.IsMetBy(true, 12));
        Assert.False(any.IsMetBy(false, 0));
        Assert.True(three!.IsMetBy(true, 3));
        Assert.False(three.IsMetBy(true, 4));
    }
}
