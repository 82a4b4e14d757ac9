using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceTwins.Api.Apis;

namespace DeviceTwins.Api.Extensions;

/// <summary>Composition of the REST API, shared by the stand-alone API and the all-in-one silo.</summary>
public static class ApiExtensions
{
    /// <summary>Adds problem details, JSON conventions, health checks and the OpenAPI document.</summary>
    public static IServiceCollection AddDeviceTwinsApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddHealthChecks();
        services.AddOpenApi();
        return services;
    }

    /// <summary>Maps every API endpoint, the health endpoints and the OpenAPI document.</summary>
    public static WebApplication MapDeviceTwinsApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health/live");
        app.MapOpenApi();
        app.MapDevicesApi();
        return app;
    }
}
