using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceTwins.Api.Apis;
using DeviceTwins.Api.Changes;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Health;
using DeviceTwins.Api.Limits;
using DeviceTwins.Api.OpenApi;
using DeviceTwins.Api.OperatorConsole;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace DeviceTwins.Api.Extensions;

/// <summary>Composition of the REST API, shared by the stand-alone API and the all-in-one silo.</summary>
public static class ApiExtensions
{
    /// <summary>Where the browsable API reference is served.</summary>
    public const string ReferencePath = "/api/reference";

    /// <summary>Adds authentication and role authorization, problem details (503 for an unreachable twin store or cluster), JSON conventions, health checks and the OpenAPI document.</summary>
    public static IServiceCollection AddDeviceTwinsApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        // Every endpoint but health and metrics needs an API key or a bearer token (Security/).
        services.AddDeviceTwinsSecurity();
        // An unreachable twin store or cluster is a 503 with Retry-After, not a 500.
        services.AddExceptionHandler<ServiceUnavailableExceptionHandler>();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // A window sum or mean can overflow to infinity; it is written as "Infinity", never a 500.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        services.AddOptions<TwinOptions>().BindConfiguration(TwinOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwinOptions>, TwinOptionsValidator>());
        services.AddHealthChecks().AddCheck<ShutdownHealthCheck>("shutdown", tags: ["ready"]);
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName);
        services.AddOpenApi(options => options.AddDocumentTransformer<ApiDocumentTransformer>());
        services.AddOptions<AlertStreamOptions>().BindConfiguration(AlertStreamOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertStreamOptions>, AlertStreamOptionsValidator>());
        services.AddOptions<ApiLimitOptions>().BindConfiguration(ApiLimitOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiLimitOptions>, ApiLimitOptionsValidator>());
        services.TryAddSingleton<StreamLimiter>();
        // One reader of the alerts topic per process, shared by every alert stream.
        services.TryAddSingleton<AlertFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertFeed>());
        services.AddCredentialRateLimits();
        services.AddOptions<DeviceIndexOptions>().BindConfiguration(DeviceIndexOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeviceIndexOptions>, DeviceIndexOptionsValidator>());
        return services;
    }

    /// <summary>Maps every API endpoint, the health endpoints, the OpenAPI document and the operator console.</summary>
    public static WebApplication MapDeviceTwinsApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        // Resolved at start, so the development key (when no credential is configured) is generated and logged now.
        app.Services.GetRequiredService<ApiKeyStore>();
        // Liveness is the process alone; readiness and startup run the checks tagged for them (the silo adds its own).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = check => check.Tags.Contains("startup") }).AllowAnonymous();
        // Each group: GET needs read, anything else write (write implies read, admin implies both).
        MapReference(app, app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.PublicReference);
        app.MapDevicesApi().RequireApiRoles().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapCredentialsApi().RequireApiRoles().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapCommandsApi().RequireApiRoles().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapAlertsApi().RequireApiRoles().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapFleetApi().RequireApiRoles().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapTwinChangesApi().RequireApiRoles().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapFleetChangesApi().RequireApiRoles().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapAlertStreamApi().RequireApiRoles();
        app.MapFleetStatsApi().RequireApiRoles().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapCallerApi().RequireApiRoles();
        app.MapConsole();
        return app;
    }

    /// <summary>The OpenAPI document and, when public, the browsable reference page over it (Scalar, served from the package, no CDN).</summary>
    private static void MapReference(WebApplication app, bool isPublic)
    {
        var document = app.MapOpenApi();
        if (!isPublic)
        {
            document.RequireApiRoles();
            return;
        }

        document.AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options =>
            {
                options
                    .WithTitle("DeviceTwins API")
                    .AddPreferredSecuritySchemes(ApiDocumentTransformer.ApiKeyScheme)
                    .AddApiKeyAuthentication(ApiDocumentTransformer.ApiKeyScheme, _ => { })
                    // Nothing that leads off the platform or reaches the internet: no AI chat, MCP, telemetry, web fonts or deploy toolbar.
                    .DisableAgent()
                    .DisableMcp()
                    .DisableTelemetry()
                    .DisableDefaultFonts();
                options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            })
            .AllowAnonymous();
    }
}
