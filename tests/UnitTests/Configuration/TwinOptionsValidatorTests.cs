using DeviceTwins.Api.Configuration;

namespace DeviceTwins.UnitTests.Configuration;

public sealed class TwinOptionsValidatorTests
{
    [Fact]
    public void Defaults_Are32KiBAnd8Levels_AndValid()
    {
        var options = new TwinOptions();

        Assert.Equal(32768, options.MaxDocumentBytes);
        Assert.Equal(8, options.MaxDepth);
        Assert.True(new TwinOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(1, 8, "Twin:MaxDocumentBytes")]
    [InlineData(2 * 1024 * 1024, 8, "Twin:MaxDocumentBytes")]
    [InlineData(32768, 0, "Twin:MaxDepth")]
    [InlineData(32768, 33, "Twin:MaxDepth")]
    public void Validate_OutOfRange_NamesTheKey(int bytes, int depth, string key)
    {
        var result = new TwinOptionsValidator().Validate(null, new TwinOptions { MaxDocumentBytes = bytes, MaxDepth = depth });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
    }
}
