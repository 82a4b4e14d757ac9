using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DeviceTwins.Api.Security;

/// <summary>Composition of the API's authentication (API keys, JWT bearer) and role authorization.</summary>
public static class SecurityExtensions
{
    /// <summary>Adds the schemes, the role policies (read as the fallback for any endpoint without one) and RFC 9457 refusals.</summary>
    public static IServiceCollection AddDeviceTwinsSecurity(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.TryAddSingleton<ApiKeyStore>();
        services.TryAddSingleton<ApiCallers>();
        services.TryAddSingleton<CachedLoggerFactory>();
        // The API key scheme is the default and hands a bearer request to JWT itself: one handler per request, not a
        // forwarding scheme's handler in front of it.
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.ForwardDefaultSelector = ApiAuthentication.Select)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((bearer, auth) =>
        {
            var jwt = auth.Value.Jwt;
            bearer.MapInboundClaims = false;
            bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
            if (!string.IsNullOrWhiteSpace(jwt.Authority))
            {
                bearer.Authority = jwt.Authority;
            }

            var signingKey = string.IsNullOrWhiteSpace(jwt.SigningKey) ? null : JwtSigningKey.TryDecode(jwt.SigningKey);
            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = string.IsNullOrWhiteSpace(jwt.Issuer) ? null : jwt.Issuer,
                ValidateAudience = true,
                ValidAudience = jwt.Audience,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKey = signingKey is null ? null : new SymmetricSecurityKey(signingKey),
                NameClaimType = "sub",
                RoleClaimType = ApiRoles.ClaimType,
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, ApiPolicies.For(ApiRoles.Read))
            .AddPolicy(ApiPolicies.Write, ApiPolicies.For(ApiRoles.Write))
            .AddPolicy(ApiPolicies.Admin, ApiPolicies.For(ApiRoles.Admin))
            .SetFallbackPolicy(ApiPolicies.For(ApiRoles.Read));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }
}
