using System.Net;
using System.Text.Json;

namespace DeviceTwins.ApiTests;

/// <summary>Assertions on RFC 9457 problem responses.</summary>
internal static class Problems
{
    public const string MediaType = "application/problem+json";

    /// <summary>Asserts <paramref name="response"/> is a problem with exactly <paramref name="status"/> and a non-empty title; returns the problem.</summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.True(MediaType == response.Content.Headers.ContentType?.MediaType, $"expected {MediaType}, got '{response.Content.Headers.ContentType}': {body}");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), body);
        return problem;
    }

    /// <summary>As <see cref="AssertAsync(HttpResponseMessage, HttpStatusCode)"/>, also with exactly <paramref name="title"/>.</summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var problem = await AssertAsync(response, status);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        return problem;
    }
}
