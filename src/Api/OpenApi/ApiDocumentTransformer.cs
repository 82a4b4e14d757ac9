using DeviceTwins.Api.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DeviceTwins.Api.OpenApi;

/// <summary>
/// Describes the API as a whole in the OpenAPI document: its title and the two credentials every operation accepts
/// (an API key in <c>X-Api-Key</c>, or a JWT bearer token), so the reference page can send them.
/// </summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";

    public const string BearerScheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "DeviceTwins API",
            Version = "v1",
            Description = "Live digital twins of IoT devices: twin state, desired and reported properties, tags, fleet queries, "
                + "alerts, aggregates and live changes. Every operation needs a credential: an API key in the X-Api-Key header "
                + "(role read for GET, write for PUT, PATCH and POST) or a JWT bearer token with a role claim. "
                + "Errors are RFC 9457 problem details.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key; configuration holds its SHA-256 hash and role (read, write or admin).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT from the configured issuer, for the configured audience, with a role or roles claim.",
        };
        // Either credential satisfies every operation: two alternative requirements.
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
        ];
        return Task.CompletedTask;
    }
}
