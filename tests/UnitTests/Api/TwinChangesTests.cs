using DeviceTwins.Api.Changes;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.UnitTests.Api;

public sealed class TwinChangesTests
{
    [Theory]
    [InlineData(null, null, -1L)]
    [InlineData("", "", -1L)]
    [InlineData("0", null, 0L)]
    [InlineData("42", "7", 42L)]
    [InlineData(null, "7", 7L)]
    [InlineData("9223372036854775807", null, long.MaxValue)]
    public void TryParseLast_HeaderBeforeQuery(string? header, string? query, long expected)
    {
        Assert.True(TwinEventIds.TryParseLast(header, query, out var after));
        Assert.Equal(expected, after);
    }

    [Theory]
    [InlineData("-1", null)]
    [InlineData("+3", null)]
    [InlineData(" 3", null)]
    [InlineData("3.0", null)]
    [InlineData("p0:o1", null)]
    [InlineData("9223372036854775808", null)]
    [InlineData("99999999999999999999", null)]
    [InlineData(null, "abc")]
    public void TryParseLast_Malformed_IsRefused(string? header, string? query) =>
        Assert.False(TwinEventIds.TryParseLast(header, query, out _));

    [Fact]
    public void Event_MultilineData_EveryLinePrefixedAndBlankLineEnds() =>
        Assert.Equal("id: 12\nevent: twin\ndata: {\"a\":1,\ndata: \"b\":2}\ndata: x\n\n", ServerSentEvents.Event("12", "twin", "{\"a\":1,\r\n\"b\":2}\rx"));

    [Fact]
    public void Event_SingleLine_IdEventData() =>
        Assert.Equal("id: 3\nevent: twin\ndata: {}\n\n", ServerSentEvents.Event(TwinEventIds.Format(3), "twin", "{}"));

    [Fact]
    public void Event_IdWithLineBreak_Throws() =>
        Assert.Throws<ArgumentException>(() => ServerSentEvents.Event("1\n2", "twin", "{}"));

    [Fact]
    public void KeepAlive_IsACommentLine() =>
        Assert.Equal(": keep-alive\n\n", ServerSentEvents.KeepAlive);

    [Fact]
    public async Task LatestTwin_SlowReader_GetsOnlyTheNewest()
    {
        var latest = new LatestTwin(-1);
        for (var version = 1; version <= 1000; version++)
        {
            Assert.True(latest.Offer(Twin(version)));
        }

        Assert.Equal(1000, (await latest.TakeAsync(CancellationToken.None)).Twin!.Version);
        var next = latest.TakeAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        latest.Offer(Twin(1001));
        Assert.Equal(1001, (await next.WaitAsync(TimeSpan.FromSeconds(5))).Twin!.Version);
    }

    [Fact]
    public async Task LatestTwin_OlderOrRepeatedVersions_AreRefused()
    {
        var latest = new LatestTwin(5);
        Assert.False(latest.Offer(Twin(5)));
        Assert.False(latest.Offer(Twin(3)));
        Assert.True(latest.Offer(Twin(7)));
        // Out of order: a late notification of an older version never replaces a newer one.
        Assert.False(latest.Offer(Twin(6)));
        Assert.Equal(7, (await latest.TakeAsync(CancellationToken.None)).Twin!.Version);
        Assert.False(latest.Offer(Twin(7)));
        var next = latest.TakeAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task LatestTwin_Cancelled_TakeEnds()
    {
        using var cancel = new CancellationTokenSource();
        var take = new LatestTwin(-1).TakeAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take);
    }

    private static TwinSnapshot Twin(long version) => new(
        "pump-1",
        version,
        version,
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch,
        new Dictionary<string, MetricReading>(),
        new Dictionary<string, PropertyReading>(),
        DateTimeOffset.UnixEpoch,
        new Dictionary<string, string>());
}
