using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>The standalone embedded cluster's control API, as a fault campaign drives it: leader moves, a broker down and up, request errors, bad requests.</summary>
public sealed class EmbeddedKafkaControlTests
{
    private const string Topic = "iot.telemetry";
    private const int Partition = 0;
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ControlApi_ThreeBrokers_LeaderMoveDownUpAndRequestErrorsReachClients()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync(brokers: 3);
        using var control = new HttpClient { BaseAddress = platform.KafkaControl, Timeout = TimeSpan.FromSeconds(30) };
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = platform.BootstrapServers }).SetLogHandler((_, _) => { }).Build();

        var cluster = await control.GetFromJsonAsync<JsonElement>("/cluster");
        Assert.Equal(3, cluster.GetProperty("brokerCount").GetInt32());
        Assert.Equal(platform.BootstrapServers, cluster.GetProperty("bootstrapServers").GetString());
        Assert.Equal([1, 2, 3], cluster.GetProperty("brokers").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()));
        Assert.All(cluster.GetProperty("brokers").EnumerateArray(), b => Assert.Contains(b.GetProperty("address").GetString()!, platform.BootstrapServers, StringComparison.Ordinal));
        var telemetry = cluster.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("name").GetString() == Topic);
        Assert.Equal(12, telemetry.GetProperty("partitions").GetArrayLength());
        Assert.All(telemetry.GetProperty("partitions").EnumerateArray(), p => Assert.Equal([1, 2, 3], p.GetProperty("replicas").EnumerateArray().Select(r => r.GetInt32()).Order()));

        // A leader move is what clients see in metadata.
        var leader = LeaderOf(admin);
        var target = (leader % 3) + 1;
        await PostAsync(control, $"/topics/{Topic}/partitions/{Partition}/leader/{target}", HttpStatusCode.OK);
        await Eventually.Until(() => Task.FromResult(LeaderOf(admin)), l => l == target, TimeSpan.FromSeconds(10), $"broker {target} leading {Topic}[{Partition}] in metadata");

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = platform.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
        var partition = new TopicPartition(Topic, Partition);
        await ProduceAsync(producer, partition, "before");

        // The leader down: a produce to its partition stalls (the cluster moves no leadership), and completes once it is back.
        await PostAsync(control, $"/brokers/{target}/down", HttpStatusCode.OK);
        var stalled = producer.ProduceAsync(partition, Record("while-down"));
        Assert.NotSame(stalled, await Task.WhenAny(stalled, Task.Delay(TimeSpan.FromSeconds(2))));
        var down = await control.GetFromJsonAsync<JsonElement>("/cluster");
        Assert.True(down.GetProperty("brokers")[target - 1].GetProperty("down").GetBoolean());
        await PostAsync(control, $"/brokers/{target}/up", HttpStatusCode.OK);
        Assert.Same(stalled, await Task.WhenAny(stalled, Task.Delay(Delivery)));
        Assert.Equal(PersistenceStatus.Persisted, (await stalled).Status);

        // A non-retriable error injected for Produce (API 0) fails exactly one record; the producer goes on.
        await PostAsync(control, "/requests/0/errors", HttpStatusCode.OK, """{"errors":[10]}""");
        var rejected = await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync(partition, Record("rejected")));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, rejected.Error.Code);

        // Retriable errors (NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT) are retried by the idempotent producer: the record lands once.
        var pushed = await PostAsync(control, "/requests/0/errors", HttpStatusCode.OK, """{"errors":[6,7]}""");
        Assert.Equal(["NOT_LEADER_FOR_PARTITION", "REQUEST_TIMED_OUT"], pushed.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        await ProduceAsync(producer, partition, "retried");

        // Cleared errors no longer fire.
        await PostAsync(control, "/requests/0/errors", HttpStatusCode.OK, """{"errors":[10]}""");
        using (var cleared = await control.DeleteAsync("/requests/0/errors"))
        {
            Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        }

        await ProduceAsync(producer, partition, "after-clear");

        Assert.Equal(["before", "while-down", "retried", "after-clear"], ReadPartition(platform.BootstrapServers, partition));
    }

    [Fact]
    public async Task ControlApi_BadRequests_Return400ProblemsAndChangeNothing()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync(brokers: 3);
        using var control = new HttpClient { BaseAddress = platform.KafkaControl, Timeout = TimeSpan.FromSeconds(30) };
        (string Path, string? Body)[] requests =
        [
            ("/brokers/4/down", null),
            ("/brokers/0/up", null),
            ("/brokers/x/down", null),
            ("/brokers/1/rtt/-1", null),
            ("/brokers/1/rtt/60001", null),
            ("/topics/no.such.topic/partitions/0/leader/1", null),
            ("/topics/iot.telemetry/partitions/12/leader/1", null),
            ("/topics/iot.telemetry/partitions/0/leader/4", null),
            ("/requests/0/errors", """{"errors":[99999]}"""),
            ("/requests/0/errors", """{"errors":[-1]}"""),
            ("/requests/0/errors", """{"errors":[]}"""),
            ("/requests/0/errors", """{"errors":[6,"""),
            ("/requests/0/errors", null),
            ("/requests/100/errors", """{"errors":[6]}"""),
        ];

        foreach (var (path, body) in requests)
        {
            using var response = await control.PostAsync(path, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path} {body}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
        }

        var cluster = await control.GetFromJsonAsync<JsonElement>("/cluster");
        Assert.All(cluster.GetProperty("brokers").EnumerateArray(), b => Assert.False(b.GetProperty("down").GetBoolean()));
        Assert.All(cluster.GetProperty("brokers").EnumerateArray(), b => Assert.Equal(0, b.GetProperty("rttMs").GetInt32()));
        Assert.DoesNotContain(cluster.GetProperty("topics").EnumerateArray(), t => t.GetProperty("name").GetString() == "no.such.topic");
    }

    private static int LeaderOf(IAdminClient admin) =>
        admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Single(p => p.PartitionId == Partition).Leader;

    private static Message<string, string> Record(string value) => new() { Key = value, Value = value };

    private static async Task ProduceAsync(IProducer<string, string> producer, TopicPartition partition, string value)
    {
        var delivery = producer.ProduceAsync(partition, Record(value));
        Assert.Same(delivery, await Task.WhenAny(delivery, Task.Delay(Delivery)));
        Assert.Equal(PersistenceStatus.Persisted, (await delivery).Status);
    }

    private static async Task<JsonElement> PostAsync(HttpClient control, string path, HttpStatusCode expected, string? body = null)
    {
        using var response = await control.PostAsync(path, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    // Every record of the partition, in offset order, read with a manually assigned consumer.
    private static List<string> ReadPartition(string bootstrapServers, TopicPartition partition)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "control-test",
            EnableAutoCommit = false,
            AllowAutoCreateTopics = false,
        }).SetLogHandler((_, _) => { }).Build();
        var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var values = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (values.Count < end && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                values.Add(result.Message.Value);
            }
        }

        return values;
    }
}
