using DeviceTwins.Api.Changes;

namespace DeviceTwins.UnitTests.Api;

public sealed class AlertStreamPositionTests
{
    [Fact]
    public void Format_PartitionOrder_PairsCommaSeparated() =>
        Assert.Equal("0:13,1:0,5:7", AlertStreamPosition.Format(new Dictionary<int, long> { [5] = 7, [0] = 13, [1] = 0 }));

    [Fact]
    public void Parse_Format_RoundTrips()
    {
        var position = new Dictionary<int, long> { [0] = 0, [1] = long.MaxValue, [11] = 42 };
        Assert.True(AlertStreamPosition.TryParse(AlertStreamPosition.Format(position), out var parsed));
        Assert.Equal(position.OrderBy(p => p.Key), parsed.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0:")]
    [InlineData(":3")]
    [InlineData("0:-1")]
    [InlineData("-1:3")]
    [InlineData("0:3,0:4")]
    [InlineData("0:3,")]
    [InlineData("0:3;1:4")]
    [InlineData(" 0:3")]
    [InlineData("12")]
    [InlineData("0:99999999999999999999")]
    public void TryParse_Malformed_IsRefused(string text) =>
        Assert.False(AlertStreamPosition.TryParse(text, out _));

    [Fact]
    public void TryParse_TooManyPartitions_IsRefused() =>
        Assert.False(AlertStreamPosition.TryParse(string.Join(',', Enumerable.Range(0, AlertStreamPosition.MaxPartitions + 1).Select(p => $"{p}:0")), out _));
}
