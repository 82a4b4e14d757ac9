using System.Net;
using System.Text;
using System.Text.Json;
using DeviceTwins.Api.Security;
using DeviceTwins.ClusterTests;
using DeviceTwins.Testing;

namespace DeviceTwins.ApiTests;

/// <summary>The audit topic: one record per write through the API, with who, tenant, what and the versions; none for a refused write.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuditTests(ApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryWrite_OneRecordInOrder_WhoTenantWhatVersions_RefusedWritesLeaveNone()
    {
        var id = ApiFixture.NewDeviceId("audit");
        using var acmeWriter = fixture.ClientWithKey(ApiFixture.TenantKey("acme", ApiRoles.Write));
        using var acmeReader = fixture.ClientWithKey(ApiFixture.TenantKey("acme", ApiRoles.Read));
        using var globexWriter = fixture.ClientWithKey(ApiFixture.TenantKey("globex", ApiRoles.Write));
        using (var created = await acmeWriter.PatchDesiredAsync(id, """{"cfg":{"rate":5}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        using (var tagged = await acmeWriter.PutTagsAsync(id, """{"site":"audit"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
        }

        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow().AddSeconds(-30), ("load", 97)));
        var alert = await Eventually.Until(
            async () => (await acmeReader.GetJsonAsync($"/api/devices/{id}/alerts")).EnumerateArray().ToList(),
            alerts => alerts.Count == 1,
            Timeout,
            $"{id}'s overload alert");
        var alertId = alert[0].GetProperty("id").GetString()!;
        await Eventually.Until(
            async () => (await acmeReader.GetJsonAsync("/api/alerts?state=active&limit=1000")).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList(),
            ids => ids.Contains(alertId),
            Timeout,
            "the alert in the fleet alert index");
        using (var ack = await acmeWriter.PostAsync(new Uri($"/api/alerts/{alertId}/ack", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        // Refused writes: a role too low, another tenant, a failed precondition.
        using (var forbidden = await acmeReader.PatchDesiredAsync(id, """{"x":1}"""))
        using (var foreign = await globexWriter.PatchDesiredAsync(id, """{"x":1}"""))
        using (var stale = await acmeWriter.PutTagsAsync(id, """{"site":"x"}""", "\"99\""))
        {
            Assert.Equal(
                (HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.PreconditionFailed),
                (forbidden.StatusCode, foreign.StatusCode, stale.StatusCode));
        }

        using (var moved = await fixture.Admin.PutTagsAsync(id, """{"site":"audit","tenant":"globex"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        var records = await TopicReader.ReadKeyedAsync(fixture.Broker.BootstrapServers, fixture.Kafka.AuditTopic, id, r => r.Count >= 4);
        var audit = records.Select(r => JsonDocument.Parse(r.Message.Value!).RootElement).ToList();
        Assert.Equal(4, audit.Count);
        Assert.Equal(
            ["desired.patch", "tags.replace", "alert.acknowledge", "tags.replace"],
            audit.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal(
            ["acme-writer", "acme-writer", "acme-writer", "operator"],
            audit.Select(a => a.GetProperty("actor").GetProperty("name").GetString()));
        Assert.Equal(["acme", "acme", "acme", null], audit.Select(a => a.GetProperty("actor").GetProperty("tenant").GetString()));
        Assert.Equal(["acme", "acme", "acme", "globex"], audit.Select(a => a.GetProperty("tenant").GetString()));
        Assert.Equal([(0L, 1L), (1L, 2L), (3L, 3L), (3L, 4L)], audit.Select(a => (a.GetProperty("versionBefore").GetInt64(), a.GetProperty("versionAfter").GetInt64())));
        Assert.Equal("""{"cfg":{"rate":5}}""", audit[0].GetProperty("detail").GetRawText());
        Assert.Equal("""{"site":"audit","tenant":"acme"}""", audit[1].GetProperty("detail").GetRawText());
        Assert.Equal((alertId, "raised"), (audit[2].GetProperty("target").GetString(), audit[2].GetProperty("detail").GetString()));
        Assert.All(audit.Zip(records), pair => Assert.Equal(
            pair.First.GetProperty("id").GetString(),
            Encoding.UTF8.GetString(pair.Second.Message.Headers.GetLastBytes("dt.id"))));
        Assert.Equal(4, audit.Select(a => a.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(audit, a => Assert.Equal(id, a.GetProperty("deviceId").GetString()));
    }
}
