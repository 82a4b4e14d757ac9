using System.Globalization;
using System.Threading.RateLimiting;
using DeviceTwins.Api.Configuration;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DeviceTwins.Api.Limits;

/// <summary>Request rate limits per credential (Api:Limits:RequestsPerSecond), answered with 429 problems and Retry-After.</summary>
public static class RateLimitExtensions
{
    public static IServiceCollection AddCredentialRateLimits(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRateLimiter(_ => { });
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiLimitOptions>, TimeProvider>((options, limits, time) =>
        {
            var settings = limits.Value;
            options.GlobalLimiter = settings.RequestsPerSecond == 0
                ? null
                : new CredentialRateLimiter(settings.RequestsPerSecond, settings.RequestBurst, time);
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "This credential sent more requests than Api:Limits:RequestsPerSecond allows; retry after the time in Retry-After.",
                Instance = context.Request.Path,
            },
        });
    }
}
