using System.Globalization;
using System.Net.Http.Json;

namespace DeviceTwins.FaultCampaign.Platform;

/// <summary>Client of the standalone embedded cluster's loopback control API (fault injection).</summary>
internal sealed class KafkaControl(HttpClient http)
{
    /// <summary>The leader of each partition of <paramref name="topic"/>, by partition.</summary>
    public async Task<IReadOnlyDictionary<int, int>> LeadersAsync(string topic)
    {
        var cluster = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri("/cluster", UriKind.Relative)).ConfigureAwait(false);
        return cluster.GetProperty("topics").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == topic)
            .GetProperty("partitions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("partition").GetInt32(), p => p.GetProperty("leader").GetInt32());
    }

    public Task BrokerDownAsync(int broker) => PostAsync(string.Create(CultureInfo.InvariantCulture, $"/brokers/{broker}/down"));

    public Task BrokerUpAsync(int broker) => PostAsync(string.Create(CultureInfo.InvariantCulture, $"/brokers/{broker}/up"));

    public Task SetLeaderAsync(string topic, int partition, int broker) =>
        PostAsync(string.Create(CultureInfo.InvariantCulture, $"/topics/{Uri.EscapeDataString(topic)}/partitions/{partition}/leader/{broker}"));

    /// <summary>The next requests of Kafka API <paramref name="apiKey"/> fail with <paramref name="errors"/>, in order.</summary>
    public async Task PushRequestErrorsAsync(short apiKey, IReadOnlyList<int> errors)
    {
        using var response = await http.PostAsJsonAsync(string.Create(CultureInfo.InvariantCulture, $"/requests/{apiKey}/errors"), new { errors }).ConfigureAwait(false);
        await EnsureAsync(response).ConfigureAwait(false);
    }

    private async Task PostAsync(string path)
    {
        using var response = await http.PostAsync(path, content: null).ConfigureAwait(false);
        await EnsureAsync(response).ConfigureAwait(false);
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The embedded cluster refused {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }
}
