using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Silo.Analytics;

namespace DeviceTwins.UnitTests.Publishing;

/// <summary>The records published on the alerts and aggregates topics carry exactly the members their JSON Schemas declare.</summary>
public sealed class AnalyticsJsonSchemaTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AlertRecord_WithAndWithoutWindow_HasExactlyTheSchemasMembers()
    {
        using var schema = Schema("alert.schema.json");
        var withWindow = new AlertInfo(new string('a', 32), "pump-17", "overload", "threshold", "load", "critical", AlertStates.Raised, 95, T0, T0, null, null,
            new AlertWindowInfo(T0, T0.AddMinutes(1), 4, 10, 95, 32, 36.4), "load 95 above 90", false);
        var deviceLevel = withWindow with { Metric = null, Window = null, Detector = "heartbeat", State = AlertStates.Cleared, ClearedAt = T0.AddSeconds(30) };

        foreach (var alert in new[] { withWindow, deviceLevel })
        {
            using var record = JsonDocument.Parse(AnalyticsJson.Alert(alert));
            Assert.Equal(Required(schema.RootElement), Members(record.RootElement));
            Assert.Equal(Members(schema.RootElement.GetProperty("properties")), Members(record.RootElement));
            Assert.Contains(record.RootElement.GetProperty("state").GetString(), Enum(schema, "state"));
            Assert.Contains(record.RootElement.GetProperty("severity").GetString(), Enum(schema, "severity"));
            Assert.Contains(record.RootElement.GetProperty("detector").GetString(), Enum(schema, "detector"));
        }

        using var full = JsonDocument.Parse(AnalyticsJson.Alert(withWindow));
        var windowSchema = schema.RootElement.GetProperty("properties").GetProperty("window").GetProperty("oneOf")[1];
        Assert.Equal(Required(windowSchema), Members(full.RootElement.GetProperty("window")));
        Assert.Equal(36.4, full.RootElement.GetProperty("window").GetProperty("stdDev").GetDouble());
    }

    [Fact]
    public void Records_WrittenOneAfterAnother_AreEachWholeAndIndependent()
    {
        // The writer's buffer is reused per thread: a small record after a large one (beyond what a thread keeps) must
        // carry nothing of it, and equal the same record written before it.
        var small = new AlertInfo(new string('c', 32), "pump-1", "overload", "threshold", "load", "critical", AlertStates.Raised, 95, T0, T0, null, null, null, "load 95 above 90", false);
        var large = small with { Reason = new string('r', 100_000) };
        var aggregate = new AggregateInfo("load", TimeSpan.FromMinutes(1), T0, T0.AddMinutes(1), 3, 1, 3, 6, 2, 1, 1, 3, 0);

        var before = AnalyticsJson.Alert(small);
        var largeBytes = AnalyticsJson.Alert(large);
        var after = AnalyticsJson.Alert(small);
        var window = AnalyticsJson.Aggregate(new WindowRecord("w", "pump-1", aggregate));

        Assert.Equal(before, after);
        using var largeRecord = JsonDocument.Parse(largeBytes);
        Assert.Equal(100_000, largeRecord.RootElement.GetProperty("reason").GetString()!.Length);
        using var smallRecord = JsonDocument.Parse(after);
        Assert.Equal("load 95 above 90", smallRecord.RootElement.GetProperty("reason").GetString());
        using var windowRecord = JsonDocument.Parse(window);
        Assert.Equal(3, windowRecord.RootElement.GetProperty("last").GetDouble());
    }

    [Fact]
    public void AlertRecord_Cleared_CarriesItsRaiseAndItsClearWithTheSchemasMembers()
    {
        using var schema = Schema("alert.schema.json");
        var raise = new AlertCauseInfo(95, T0, "load 95 above 90 for 0 s", "value", 95, 90);
        var clear = new AlertCauseInfo(71, T0.AddSeconds(30), "load 71 back below 80", "value", 71, 80);
        var cleared = new AlertInfo(new string('b', 32), "pump-17", "overload", "threshold", "load", "critical", AlertStates.Cleared, 71, T0.AddSeconds(30), T0, null, T0.AddSeconds(30),
            null, "load 71 back below 80", false, raise, clear);

        using var record = JsonDocument.Parse(AnalyticsJson.Alert(cleared));

        var causeSchema = schema.RootElement.GetProperty("properties").GetProperty("raise").GetProperty("oneOf")[1];
        Assert.Equal(Required(causeSchema), Members(record.RootElement.GetProperty("raise")));
        Assert.Equal(Members(causeSchema.GetProperty("properties")), Members(record.RootElement.GetProperty("clear")));
        Assert.Equal(
            """{"value":95,"eventTime":"2026-11-27T10:00:00+00:00","reason":"load 95 above 90 for 0 s","statistic":"value","score":95,"threshold":90}""",
            record.RootElement.GetProperty("raise").GetRawText());
        Assert.Equal(
            """{"value":71,"eventTime":"2026-11-27T10:00:30+00:00","reason":"load 71 back below 80","statistic":"value","score":71,"threshold":80}""",
            record.RootElement.GetProperty("clear").GetRawText());
    }

    [Fact]
    public void AlertRecord_Raised_HasNoClear()
    {
        var raised = new AlertInfo(new string('c', 32), "pump-17", "offline", "heartbeat", null, "critical", AlertStates.Raised, 31, T0, T0, null, null, null,
            "no record for 31 s", false, new AlertCauseInfo(31, T0, "no record for 31 s", "seconds silent", 31, 30));

        using var record = JsonDocument.Parse(AnalyticsJson.Alert(raised));

        Assert.Equal(JsonValueKind.Null, record.RootElement.GetProperty("clear").ValueKind);
        Assert.Equal("seconds silent", record.RootElement.GetProperty("raise").GetProperty("statistic").GetString());
    }

    [Fact]
    public void AggregateRecord_HasExactlyTheSchemasMembers()
    {
        using var schema = Schema("aggregate.schema.json");
        var aggregate = new AggregateInfo("load", TimeSpan.FromMinutes(1), T0, T0.AddMinutes(1), 3, 1, 3, 6, 2, 0.816496580927726, 1, 3, 1);
        using var record = JsonDocument.Parse(AnalyticsJson.Aggregate(new WindowRecord("pump-17/load/60s/1795773600000", "pump-17", aggregate)));
        Assert.Equal(Required(schema.RootElement), Members(record.RootElement));
        Assert.Equal(Members(schema.RootElement.GetProperty("properties")), Members(record.RootElement));
        Assert.Equal(60, record.RootElement.GetProperty("windowSeconds").GetInt64());
        Assert.Equal(T0, record.RootElement.GetProperty("start").GetDateTimeOffset());
    }

    [Fact]
    public void AggregateRecord_WithASumBeyondDoubleRange_WritesNullInsteadOfThrowing()
    {
        var aggregate = new AggregateInfo("load", TimeSpan.FromMinutes(1), T0, T0.AddMinutes(1), 2, 1e308, 1e308, double.PositiveInfinity, double.PositiveInfinity, double.NaN, 1e308, 1e308, 0);
        using var record = JsonDocument.Parse(AnalyticsJson.Aggregate(new WindowRecord("id", "pump-17", aggregate)));
        Assert.Equal(JsonValueKind.Null, record.RootElement.GetProperty("sum").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.RootElement.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, record.RootElement.GetProperty("stdDev").ValueKind);
        Assert.Equal(1e308, record.RootElement.GetProperty("max").GetDouble());
    }

    [Fact]
    public void DesiredRecord_HasExactlyTheSchemasMembers_WithTheDocumentsAsObjects()
    {
        using var schema = Schema("desired.schema.json");
        var change = new DesiredChange("pump-17", 12, """{"cfg":{"rate":5},"fw":"2.0"}""", """{"fw":"2.0"}""", T0);

        using var record = JsonDocument.Parse(DesiredStateJson.Change(change));

        Assert.Equal(Required(schema.RootElement), Members(record.RootElement));
        Assert.Equal(Members(schema.RootElement.GetProperty("properties")), Members(record.RootElement));
        Assert.Equal("""{"deviceId":"pump-17","version":12,"desired":{"cfg":{"rate":5},"fw":"2.0"},"delta":{"fw":"2.0"},"time":"2026-11-27T10:00:00+00:00"}""", record.RootElement.GetRawText());
        Assert.Equal("pump-17:12", change.Id);
    }

    [Fact]
    public void AuditRecord_EveryAction_HasExactlyTheSchemasMembers_WithTheDetailAsJson()
    {
        using var schema = Schema("audit.schema.json");
        var patch = new AuditRecord(new string('c', 32), T0, "acme-writer", "acme", AuditActions.DesiredPatch, "pump-17", "acme", null, 0, 1, """{"cfg":{"rate":5}}""");
        var tags = patch with { Action = AuditActions.TagsReplace, VersionBefore = 1, VersionAfter = 2, Detail = """{"site":"a","tenant":"acme"}""" };
        var ack = patch with { Action = AuditActions.AlertAcknowledge, Target = new string('a', 32), ActorTenant = null, Actor = "operator", VersionBefore = 2, VersionAfter = 2, Detail = "raised" };
        foreach (var audit in new[] { patch, tags, ack })
        {
            using var record = JsonDocument.Parse(AuditJson.Record(audit));
            Assert.Equal(Required(schema.RootElement), Members(record.RootElement));
            Assert.Equal(Members(schema.RootElement.GetProperty("properties")), Members(record.RootElement));
            Assert.Equal(Required(schema.RootElement.GetProperty("properties").GetProperty("actor")), Members(record.RootElement.GetProperty("actor")));
            Assert.Contains(record.RootElement.GetProperty("action").GetString(), Enum(schema, "action"));
        }

        Assert.Equal(
            """{"id":"cccccccccccccccccccccccccccccccc","time":"2026-11-27T10:00:00+00:00","actor":{"name":"acme-writer","tenant":"acme"},"action":"desired.patch","deviceId":"pump-17","tenant":"acme","target":null,"versionBefore":0,"versionAfter":1,"detail":{"cfg":{"rate":5}}}""",
            JsonDocument.Parse(AuditJson.Record(patch)).RootElement.GetRawText());
        Assert.Equal("raised", JsonDocument.Parse(AuditJson.Record(ack)).RootElement.GetProperty("detail").GetString());
    }

    private static string[] Members(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static string[] Required(JsonElement schema) => [.. schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];

    private static string[] Enum(JsonDocument schema, string member) =>
        [.. schema.RootElement.GetProperty("properties").GetProperty(member).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

    private static JsonDocument Schema(string file)
    {
        // The schemas live at the repository root, above the test's build output.
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "schemas", file)))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.FullName, "schemas", file)));
    }
}
