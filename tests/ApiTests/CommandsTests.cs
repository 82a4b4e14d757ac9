using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DeviceTwins.Api.Security;
using DeviceTwins.ClusterTests;
using DeviceTwins.Testing;

namespace DeviceTwins.ApiTests;

/// <summary>
/// Commands over the API and Kafka: submitted, delivered on the commands topic, answered in telemetry, expired by the
/// twins' clock, and every state change on the command events topic, in order.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CommandsTests(ApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Lifecycle_SentDeliveredAcceptedSucceeded_EveryChangeOnTheEventsTopicInOrder()
    {
        var id = ApiFixture.NewDeviceId("cmd");
        using var posted = await PostAsync(fixture.Writer, id, """{"name":"reboot","payload":{"delay":5},"timeout":"PT5M"}""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var command = await posted.JsonAsync();
        var commandId = command.GetProperty("id").GetString()!;
        Assert.Equal($"/api/devices/{id}/commands/{commandId}", posted.Headers.Location!.OriginalString);
        Assert.Equal(("reboot", "sent", 1, """{"delay":5}""", "writer"), (command.GetProperty("name").GetString(), CommandRequests.StateOf(command), command.GetProperty("attempt").GetInt32(), command.GetProperty("payload").GetRawText(), command.GetProperty("createdBy").GetString()));
        Assert.Equal(
            DateTimeOffset.Parse(command.GetProperty("createdAt").GetString()!, CultureInfo.InvariantCulture).AddMinutes(5),
            DateTimeOffset.Parse(command.GetProperty("expiresAt").GetString()!, CultureInfo.InvariantCulture));

        // The delivery, keyed by device id, as a Kafka device or the MQTT bridge reads it.
        var deliveries = await TopicReader.ReadKeyedAsync(fixture.Broker.BootstrapServers, fixture.Kafka.CommandsTopic, fixture.Kafka.TelemetryPartitions, id, r => r.Count >= 1);
        var delivery = JsonDocument.Parse(deliveries.Single().Message.Value!).RootElement;
        Assert.Equal((commandId, id, "reboot", """{"delay":5}""", 1), (delivery.GetProperty("commandId").GetString(), delivery.GetProperty("deviceId").GetString(), delivery.GetProperty("name").GetString(), delivery.GetProperty("payload").GetRawText(), delivery.GetProperty("attempt").GetInt32()));
        Assert.Equal(commandId + ":1", Encoding.UTF8.GetString(deliveries[0].Message.Headers.GetLastBytes("dt.id")));

        await ReportAsync(id, commandId, "accepted");
        await fixture.Reader.WaitForCommandStateAsync(id, commandId, "accepted");
        await ReportAsync(id, commandId, "succeeded", """{"uptime":3}""");
        var done = await fixture.Reader.WaitForCommandStateAsync(id, commandId, "succeeded");
        Assert.Equal("""{"uptime":3}""", done.GetProperty("result").GetRawText());

        var events = await TopicReader.ReadKeyedAsync(fixture.Broker.BootstrapServers, fixture.Kafka.CommandEventsTopic, id, r => r.Count >= 4);
        Assert.Equal(
            ["queued:0", "sent:1", "accepted:1", "succeeded:1"],
            events.Select(e => JsonDocument.Parse(e.Message.Value!).RootElement).Select(e => $"{e.GetProperty("state").GetString()}:{e.GetProperty("attempt").GetInt32()}"));
        Assert.Equal(
            [$"{commandId}:queued:0", $"{commandId}:sent:1", $"{commandId}:accepted:1", $"{commandId}:succeeded:1"],
            events.Select(e => Encoding.UTF8.GetString(e.Message.Headers.GetLastBytes("dt.id"))));

        // The submission is audited (the command's id as target, the request as detail).
        var audit = await TopicReader.ReadKeyedAsync(fixture.Broker.BootstrapServers, fixture.Kafka.AuditTopic, id, r => r.Count >= 1);
        var record = JsonDocument.Parse(audit.Single().Message.Value!).RootElement;
        Assert.Equal(("command.submit", commandId, """{"name":"reboot","payload":{"delay":5},"timeout":"PT5M"}"""), (record.GetProperty("action").GetString(), record.GetProperty("target").GetString(), record.GetProperty("detail").GetRawText()));
    }

    [Fact]
    public async Task Queue_OneInFlightInOrder_CancelQueuedOnly_FailedResultSendsTheNext()
    {
        var id = ApiFixture.NewDeviceId("cmd-order");
        var first = await SubmitAsync(id, "first");
        var second = await SubmitAsync(id, "second");
        var third = await SubmitAsync(id, "third");
        Assert.Equal(["sent", "queued", "queued"], [CommandRequests.StateOf(first), CommandRequests.StateOf(second), CommandRequests.StateOf(third)]);

        using (var tooLate = await fixture.Writer.DeleteAsync(new Uri($"/api/devices/{id}/commands/{Id(first)}", UriKind.Relative)))
        {
            var problem = await Problems.AssertAsync(tooLate, HttpStatusCode.Conflict, "Command not cancellable");
            Assert.Contains("is sent", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var cancelled = await fixture.Writer.DeleteAsync(new Uri($"/api/devices/{id}/commands/{Id(second)}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
            Assert.Equal("cancelled", CommandRequests.StateOf(await cancelled.JsonAsync()));
        }

        await ReportAsync(id, Id(first), "failed", """{"error":"busy"}""");
        await fixture.Reader.WaitForCommandStateAsync(id, Id(first), "failed");
        await fixture.Reader.WaitForCommandStateAsync(id, Id(third), "sent");
        var list = (await fixture.Reader.GetJsonAsync($"/api/devices/{id}/commands")).EnumerateArray().Select(c => (Id(c), CommandRequests.StateOf(c))).ToList();
        // Ended ones newest first: the failure came after the cancellation.
        Assert.Equal([(Id(third), "sent"), (Id(first), "failed"), (Id(second), "cancelled")], list);
    }

    [Fact]
    public async Task Timeout_PassesOnTheTwinsClock_CommandExpires_NextIsSent()
    {
        var id = ApiFixture.NewDeviceId("cmd-expire");
        var first = await SubmitAsync(id, "slow", "PT10S");
        var second = await SubmitAsync(id, "next", "PT1H");
        fixture.Clock.Advance(TimeSpan.FromSeconds(11));
        await fixture.Reader.WaitForCommandStateAsync(id, Id(first), "expired");
        await fixture.Reader.WaitForCommandStateAsync(id, Id(second), "sent");

        // The device's late result changes nothing.
        await ReportAsync(id, Id(first), "succeeded");
        await ReportAsync(id, Id(second), "accepted");
        await fixture.Reader.WaitForCommandStateAsync(id, Id(second), "accepted");
        Assert.Equal("expired", CommandRequests.StateOf(await fixture.Reader.GetJsonAsync($"/api/devices/{id}/commands/{Id(first)}")));
    }

    [Fact]
    public async Task Connection_DisconnectedDeviceKeepsItsQueue_ConnectingSendsAndResends()
    {
        var id = ApiFixture.NewDeviceId("cmd-offline");
        await fixture.ProduceAsync(id, Connection(id, "disconnected"));
        await fixture.Reader.WaitForMessageCountAsync(id, 1);
        var command = await SubmitAsync(id, "selftest");
        Assert.Equal("queued", CommandRequests.StateOf(command));

        await fixture.ProduceAsync(id, Connection(id, "connected"));
        await fixture.Reader.WaitForCommandStateAsync(id, Id(command), "sent");
        // Dropped before acknowledging, then back: sent again as attempt 2.
        await fixture.ProduceAsync(id, Connection(id, "disconnected"));
        await fixture.ProduceAsync(id, Connection(id, "connected"));
        var resent = await Eventually.Until(
            async () => await fixture.Reader.GetJsonAsync($"/api/devices/{id}/commands/{Id(command)}"),
            c => c.GetProperty("attempt").GetInt32() == 2,
            Timeout,
            c => $"attempt 2 of {Id(command)}, got {c}");
        Assert.Equal("sent", CommandRequests.StateOf(resent));
        var deliveries = await TopicReader.ReadKeyedAsync(fixture.Broker.BootstrapServers, fixture.Kafka.CommandsTopic, fixture.Kafka.TelemetryPartitions, id, r => r.Count >= 2);
        Assert.Equal([1, 2], deliveries.Select(d => JsonDocument.Parse(d.Message.Value!).RootElement.GetProperty("attempt").GetInt32()));
    }

    [Fact]
    public async Task IdempotencyKey_RetriedPostAnswersTheSameCommand_OtherCommandConflicts()
    {
        var id = ApiFixture.NewDeviceId("cmd-idem");
        const string body = """{"name":"open-valve","payload":{"valve":2}}""";
        using var first = await PostAsync(fixture.Writer, id, body, ("Idempotency-Key", "retry-1"));
        using var retried = await PostAsync(fixture.Writer, id, body, ("Idempotency-Key", "retry-1"));
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, retried.StatusCode));
        var (a, b) = (await first.JsonAsync(), await retried.JsonAsync());
        Assert.Equal(Id(a), Id(b));
        Assert.Equal(first.Headers.Location, retried.Headers.Location);
        Assert.Equal("retry-1", b.GetProperty("idempotencyKey").GetString());
        using (var other = await PostAsync(fixture.Writer, id, """{"name":"close-valve"}""", ("Idempotency-Key", "retry-1")))
        {
            await Problems.AssertAsync(other, HttpStatusCode.Conflict, "Idempotency key reused");
        }

        Assert.Single((await fixture.Reader.GetJsonAsync($"/api/devices/{id}/commands")).EnumerateArray());
    }

    [Theory]
    [InlineData("""{"payload":1}""", "'name' is required.")]
    [InlineData("""{"name":"has space"}""", "'name' must be a string of 1-64 letters, digits, '.', '_' or '-'.")]
    [InlineData("""{"name":"x","timeout":"5 minutes"}""", "'timeout' must be an ISO-8601 duration, e.g. \"PT5M\".")]
    [InlineData("""{"name":"x","timeout":"P30D"}""", "'timeout' must be between PT1S and P7D.")]
    [InlineData("""{"name":"x","retries":3}""", "Unknown member 'retries': a command has 'name', 'payload' and 'timeout'.")]
    [InlineData("""["reboot"]""", "The body must be a JSON object with 'name', and optionally 'payload' and 'timeout'.")]
    public async Task Submit_BadBody_400NamingTheProblem_NothingCreated(string body, string detail)
    {
        var id = ApiFixture.NewDeviceId("cmd-bad");
        using var response = await PostAsync(fixture.Writer, id, body);
        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "Invalid command");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        using var list = await fixture.Reader.GetAsync(new Uri($"/api/devices/{id}/commands", UriKind.Relative));
        await Problems.AssertAsync(list, HttpStatusCode.NotFound, "Device not found");
    }

    [Fact]
    public async Task Submit_WrongMediaTypeRoleTenantOrCommand_ClearRefusals()
    {
        var id = ApiFixture.NewDeviceId("cmd-refused");
        using (var text = await fixture.Writer.SendAsync("POST", $"/api/devices/{id}/commands", """{"name":"x"}""", "text/plain"))
        {
            await Problems.AssertAsync(text, HttpStatusCode.UnsupportedMediaType);
        }

        using (var reader = await PostAsync(fixture.Reader, id, """{"name":"x"}"""))
        {
            await Problems.AssertAsync(reader, HttpStatusCode.Forbidden);
        }

        using (var badKey = await PostAsync(fixture.Writer, id, """{"name":"x"}""", ("Idempotency-Key", new string('k', 129))))
        {
            await Problems.AssertAsync(badKey, HttpStatusCode.BadRequest, "Invalid command");
        }

        using var acme = fixture.ClientWithKey(ApiFixture.TenantKey("acme", ApiRoles.Write));
        using var globex = fixture.ClientWithKey(ApiFixture.TenantKey("globex", ApiRoles.Write));
        using (var created = await PostAsync(acme, id, """{"name":"x"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        }

        using (var foreign = await PostAsync(globex, id, """{"name":"x"}"""))
        {
            await Problems.AssertAsync(foreign, HttpStatusCode.NotFound, "Device not found");
        }

        using (var foreignList = await globex.GetAsync(new Uri($"/api/devices/{id}/commands", UriKind.Relative)))
        {
            await Problems.AssertAsync(foreignList, HttpStatusCode.NotFound, "Device not found");
        }

        Assert.Equal("acme", (await fixture.Admin.GetJsonAsync($"/api/devices/{id}")).GetProperty("tags").GetProperty("tenant").GetString());
        using var unknown = await fixture.Reader.GetAsync(new Uri($"/api/devices/{id}/commands/nope", UriKind.Relative));
        await Problems.AssertAsync(unknown, HttpStatusCode.NotFound, "Command not found");
    }

    private async Task<JsonElement> SubmitAsync(string id, string name, string timeout = "PT5M")
    {
        using var response = await PostAsync(fixture.Writer, id, $$"""{"name":"{{name}}","timeout":"{{timeout}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string id, string body, params (string, string)[] headers) =>
        client.SendAsync("POST", $"/api/devices/{id}/commands", body, "application/json", headers);

    private Task ReportAsync(string id, string commandId, string status, string payload = "null") =>
        fixture.ProduceAsync(id, $$$"""{"deviceId":"{{{id}}}","ts":"{{{fixture.Clock.GetUtcNow():O}}}","commandResult":{"commandId":"{{{commandId}}}","status":"{{{status}}}","payload":{{{payload}}}}}""");

    private string Connection(string id, string state) =>
        $$"""{"deviceId":"{{id}}","ts":"{{fixture.Clock.GetUtcNow():O}}","connection":"{{state}}"}""";

    private static string Id(JsonElement command) => command.GetProperty("id").GetString()!;
}
