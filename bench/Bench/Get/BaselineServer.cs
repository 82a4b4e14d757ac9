using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceTwins.Api.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Bench.Get;

/// <summary>
/// The GET benchmark's baseline: a plain ASP.NET Core minimal API (Kestrel, no authentication, no Orleans) serving, at
/// /api/devices/{id}, one twin fetched once from the platform and held as the platform's own response record,
/// serialized per request by System.Text.Json with the platform's JSON options, with the same ETag header.
/// </summary>
internal static class BaselineServer
{
    /// <summary>Runs until stopped: "baseline-server --urls http://127.0.0.1:PORT --twin FILE".</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var file = builder.Configuration["twin"] ?? throw new ArgumentException("baseline-server needs --twin FILE: the JSON of one twin as GET /api/devices/{id} served it.");
        builder.Services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));

        var jsonOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(jsonOptions);
        var twin = JsonSerializer.Deserialize<DeviceTwinResponse>(await File.ReadAllBytesAsync(file), jsonOptions)
            ?? throw new ArgumentException($"{file} holds no twin.");
        var etag = $"\"{twin.Version}\"";

        var app = builder.Build();
        app.MapGet("/health/live", () => TypedResults.Ok());
        app.MapGet("/api/devices/{id}", Ok<DeviceTwinResponse> (string id, HttpContext context) =>
        {
            context.Response.Headers.ETag = etag;
            return TypedResults.Ok(twin);
        });
        await app.RunAsync();
        return 0;
    }

    // The same conventions as the platform's API (ApiExtensions.AddDeviceTwinsApi), so both serialize the same bytes.
    private static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
    }
}
