using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DeviceTwins.Api.OpenApi;

/// <summary>
/// Documents the query parameters of GET /api/devices and GET /api/fleet/changes, which the endpoints parse themselves (to refuse unknown and repeated
/// parameters by name) and so does not bind.
/// </summary>
internal static class FleetQueryParameters
{
    /// <summary>Adds tag, status, lastSeenAfter, lastSeenBefore, metric, limit and cursor to GET /api/devices.</summary>
    public static Task AddAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Add(operation, stream: false);
        return Task.CompletedTask;
    }

    /// <summary>Adds the same filters and limit to GET /api/fleet/changes, which has no cursor.</summary>
    public static Task AddStreamAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Add(operation, stream: true);
        return Task.CompletedTask;
    }

    private static void Add(OpenApiOperation operation, bool stream)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.Parameters ??= [];
        operation.Parameters.Add(Repeatable("tag", "key:value, exact; repeatable, all must hold, e.g. site:plant-a."));
        operation.Parameters.Add(Single("status", JsonSchemaType.String, "online, offline or alerting.", ["online", "offline", "alerting"]));
        operation.Parameters.Add(Single("lastSeenAfter", JsonSchemaType.String, "ISO-8601 instant with an offset; latest event time strictly after it.", format: "date-time"));
        operation.Parameters.Add(Single("lastSeenBefore", JsonSchemaType.String, "ISO-8601 instant with an offset; latest event time strictly before it.", format: "date-time"));
        operation.Parameters.Add(Repeatable("metric", "name, operator (> >= < <= = !=) and number, e.g. temperature>80; repeatable, all must hold. A device without the metric matches no comparison on it."));
        if (stream)
        {
            operation.Parameters.Add(Single("limit", JsonSchemaType.Integer, "How many matching devices, the first by id, the stream follows: 1-1000 (default 100)."));
            return;
        }

        operation.Parameters.Add(Single("limit", JsonSchemaType.Integer, "Page size, 1-1000 (default 100)."));
        operation.Parameters.Add(Single("cursor", JsonSchemaType.String, "The next value of the previous page."));
    }

    private static OpenApiParameter Single(string name, JsonSchemaType type, string description, string[]? values = null, string? format = null) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = type,
            Format = format,
            Enum = values is null ? null : [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)v)],
        },
    };

    private static OpenApiParameter Repeatable(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Style = ParameterStyle.Form,
        Explode = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
    };
}
