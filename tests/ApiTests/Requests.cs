using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DeviceTwins.Testing;

namespace DeviceTwins.ApiTests;

/// <summary>Request helpers shared by the API tests.</summary>
internal static class Requests
{
    public const string MergePatch = "application/merge-patch+json";

    private static readonly TimeSpan PipelineTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with an optional body (no Content-Type when <paramref name="contentType"/> is null) and headers.</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        this HttpClient client, string method, string path, string? body = null, string? contentType = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            request.Content = content;
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>PATCH /api/devices/{id}/desired with a merge patch and an optional If-Match.</summary>
    public static Task<HttpResponseMessage> PatchDesiredAsync(this HttpClient client, string deviceId, string patch, string? ifMatch = null, string contentType = MergePatch) =>
        client.SendAsync("PATCH", $"/api/devices/{deviceId}/desired", patch, contentType, ifMatch is null ? [] : [("If-Match", ifMatch)]);

    /// <summary>PUT /api/devices/{id}/tags with a JSON body and an optional If-Match.</summary>
    public static Task<HttpResponseMessage> PutTagsAsync(this HttpClient client, string deviceId, string tags, string? ifMatch = null) =>
        client.SendAsync("PUT", $"/api/devices/{deviceId}/tags", tags, "application/json", ifMatch is null ? [] : [("If-Match", ifMatch)]);

    /// <summary>GET <paramref name="path"/>, asserting 200, as JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Reads a JSON body.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Waits until the twin of <paramref name="deviceId"/> has applied <paramref name="count"/> records, through GET.</summary>
    public static Task<JsonElement> WaitForMessageCountAsync(this HttpClient client, string deviceId, long count) =>
        Eventually.Until(
            async () =>
            {
                using var response = await client.GetAsync(new Uri($"/api/devices/{deviceId}", UriKind.Relative));
                return response.IsSuccessStatusCode ? await response.JsonAsync() : default;
            },
            twin => twin.ValueKind == JsonValueKind.Object && twin.GetProperty("messageCount").GetInt64() >= count,
            PipelineTimeout,
            $"{deviceId} to apply {count} records");
}
