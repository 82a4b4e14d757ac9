using DeviceTwins.Api.Security;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.OperatorConsole;

/// <summary>
/// Serves the operator console: the page at <c>/</c> and its files under <c>/console/</c>, to anyone (they hold no data
/// and no secret: the page signs in and calls the REST API with the caller's credential, so the API's roles, tenants
/// and audit apply to the console as to any client). A strict content security policy keeps the page to this origin (and
/// the OpenID Connect authority, when the console signs in with one).
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>
    /// The content security policy of every console response: nothing from another origin but the authority's (its
    /// discovery document and token endpoint), no framing.
    /// </summary>
    public static string ContentSecurityPolicy(string? authorityOrigin) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        $"connect-src 'self'{(authorityOrigin is null ? string.Empty : " " + authorityOrigin)}; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Maps GET / (the page), GET /console/settings.json (what it needs before sign-in) and GET /console/{path}.</summary>
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var assets = new ConsoleAssets(typeof(ConsoleEndpoints).Assembly);
        var jwt = routes.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.Jwt;
        var settings = new ConsoleSettings(string.IsNullOrWhiteSpace(jwt.ConsoleClientId)
            ? null
            : new ConsoleOidcSettings(jwt.Authority.TrimEnd('/'), jwt.ConsoleClientId, jwt.ConsoleScope));
        var policy = ContentSecurityPolicy(settings.Oidc is null ? null : new Uri(settings.Oidc.Authority).GetLeftPart(UriPartial.Authority));
        routes.MapGet("/", (HttpContext context) => Serve(context, assets, policy, "index.html"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        routes.MapGet("/console/settings.json", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(settings);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        routes.MapGet("/console/{**path}", (string path, HttpContext context) => Serve(context, assets, policy, path))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return routes;
    }

    private static IResult Serve(HttpContext context, ConsoleAssets assets, string policy, string path)
    {
        if (assets.Find(path) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidated on every load: a new version of the platform serves its own console at once.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
