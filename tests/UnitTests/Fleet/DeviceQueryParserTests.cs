using DeviceTwins.Api.Contracts;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.Primitives;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class DeviceQueryParserTests
{
    private static (DeviceQueryRequest? Request, QueryParameterError? Error) Parse(params (string Name, string[] Values)[] parameters) =>
        DeviceQueryParser.Parse(parameters.Select(p => new KeyValuePair<string, StringValues>(p.Name, new StringValues(p.Values))));

    [Fact]
    public void NoParameters_IsEveryDevice_FirstPageOf100()
    {
        var (request, error) = Parse();
        Assert.Null(error);
        Assert.Equal(DeviceQueryParser.DefaultLimit, request!.Limit);
        Assert.Null(request.AfterId);
        Assert.Empty(request.Query.Tags);
        Assert.Empty(request.Query.Metrics);
        Assert.Null(request.Query.Status);
        Assert.Null(request.Query.LastSeenAfter);
        Assert.Null(request.Query.LastSeenBefore);
    }

    [Fact]
    public void EveryFilter_IsParsed()
    {
        var (request, error) = Parse(
            ("tag", ["site:plant-a", "fw:1.4:beta", "empty:"]),
            ("status", ["alerting"]),
            ("lastSeenAfter", ["2026-11-27T10:00:00Z"]),
            ("lastSeenBefore", ["2026-11-27T12:00:00+01:00"]),
            ("metric", ["temperature>80", "pressure<=1.5", "rpm!=0", "load=-2.5e1", "humidity>=40", "flow<3"]),
            ("limit", ["250"]),
            ("cursor", [DeviceCursors.Encode("pump-17")]));
        Assert.Null(error);
        var query = request!.Query;
        Assert.Equal([new TagFilter("site", "plant-a"), new TagFilter("fw", "1.4:beta"), new TagFilter("empty", "")], query.Tags);
        Assert.Equal(DeviceStatus.Alerting, query.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), query.LastSeenAfter);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero), query.LastSeenBefore);
        Assert.Equal(
            [
                new MetricFilter("temperature", MetricOperator.GreaterThan, 80),
                new MetricFilter("pressure", MetricOperator.LessThanOrEqual, 1.5),
                new MetricFilter("rpm", MetricOperator.NotEqual, 0),
                new MetricFilter("load", MetricOperator.Equal, -25),
                new MetricFilter("humidity", MetricOperator.GreaterThanOrEqual, 40),
                new MetricFilter("flow", MetricOperator.LessThan, 3),
            ],
            query.Metrics);
        Assert.Equal(250, request.Limit);
        Assert.Equal("pump-17", request.AfterId);
    }

    [Theory]
    [InlineData("online", DeviceStatus.Online)]
    [InlineData("offline", DeviceStatus.Offline)]
    [InlineData("alerting", DeviceStatus.Alerting)]
    public void Status_IsOneOfThree(string text, DeviceStatus expected) => Assert.Equal(expected, Parse(("status", [text])).Request!.Query.Status);

    [Theory]
    [InlineData("tag", "site")]
    [InlineData("tag", ":plant-a")]
    [InlineData("tag", "si te:x")]
    [InlineData("tag", "")]
    [InlineData("metric", "temperature")]
    [InlineData("metric", ">80")]
    [InlineData("metric", "temperature>")]
    [InlineData("metric", "temperature>>80")]
    [InlineData("metric", "temperature=>80")]
    [InlineData("metric", "temperature>eighty")]
    [InlineData("metric", "temperature>NaN")]
    [InlineData("metric", "temperature>Infinity")]
    [InlineData("metric", "temperature!80")]
    [InlineData("status", "Online")]
    [InlineData("status", "unknown")]
    [InlineData("lastSeenAfter", "yesterday")]
    [InlineData("lastSeenAfter", "2026-11-27T10:00:00")]
    [InlineData("lastSeenBefore", "2026-13-27T10:00:00Z")]
    [InlineData("limit", "0")]
    [InlineData("limit", "1001")]
    [InlineData("limit", "-1")]
    [InlineData("limit", "ten")]
    [InlineData("cursor", "not-a-cursor!")]
    [InlineData("cursor", "ZDE6")]
    [InlineData("tags", "site:plant-a")]
    public void InvalidValue_IsRefused_NamingTheParameter(string name, string value)
    {
        var (request, error) = Parse((name, [value]));
        Assert.Null(request);
        Assert.Equal(name, error!.Parameter);
    }

    [Fact]
    public void SingleValuedParameter_GivenTwice_IsRefused()
    {
        var (_, error) = Parse(("status", ["online", "offline"]));
        Assert.Equal(new QueryParameterError("status", "status may be given once."), error);
    }

    [Fact]
    public void UnknownParameter_IsRefused_WithTheFilterNames()
    {
        var (_, error) = Parse(("sort", ["id"]));
        Assert.Equal(new QueryParameterError("sort", "Unknown parameter 'sort'; the filters are tag, status, lastSeenAfter, lastSeenBefore and metric, with limit and cursor."), error);
    }

    [Fact]
    public void EmptyLastSeenRange_IsRefused()
    {
        var (_, error) = Parse(("lastSeenAfter", ["2026-11-27T10:00:00Z"]), ("lastSeenBefore", ["2026-11-27T10:00:00Z"]));
        Assert.Equal(new QueryParameterError("lastSeenAfter", "lastSeenAfter must be before lastSeenBefore."), error);
    }

    [Fact]
    public void TooManyFilters_AreRefused()
    {
        var (_, error) = Parse(("metric", [.. Enumerable.Range(0, 33).Select(i => $"m{i}>0")]));
        Assert.Equal("metric", error!.Parameter);
    }

    [Fact]
    public void Cursor_RoundTripsAnyValidDeviceId()
    {
        foreach (var id in new[] { "a", "pump-17", "gw:site@a.b_c", new string('z', 128) })
        {
            Assert.True(DeviceCursors.TryDecode(DeviceCursors.Encode(id), out var decoded));
            Assert.Equal(id, decoded);
        }

        Assert.False(DeviceCursors.TryDecode(DeviceCursors.Encode("bad id"), out _));
    }
}
