using System.Text;
using System.Text.Json;
using DeviceTwins.Api.Changes;

namespace DeviceTwins.UnitTests.Api;

public sealed class AlertFeedEventTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    [Fact]
    public void FromRecord_Alert_RendersItsDataLinesAndTenantOnce()
    {
        var record = AlertFeedEvent.FromRecord(3, 41, Encoding.UTF8.GetBytes(
            """{"id":"a-1","deviceId":"pump-1","tenant":"acme","rule":"overheat","detector":"threshold","metric":"temperature","severity":"critical","state":"raised","value":91}"""), Options);

        Assert.Equal((3, 41L), (record.Partition, record.Offset));
        Assert.Equal("acme", record.Tenant);
        Assert.StartsWith("data: {", record.DataLines, StringComparison.Ordinal);
        Assert.Contains("\"deviceId\":\"pump-1\"", record.DataLines, StringComparison.Ordinal);
        Assert.Same(record.DataLines, record.DataLines);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"deviceId":"pump-1"}""")]
    public void FromRecord_NotAnAlert_HasNoDataAndNoTenant(string value)
    {
        var record = AlertFeedEvent.FromRecord(0, 7, Encoding.UTF8.GetBytes(value), Options);

        Assert.Null(record.DataLines);
        Assert.Null(record.Tenant);
        Assert.Equal(7, record.Offset);
    }
}
