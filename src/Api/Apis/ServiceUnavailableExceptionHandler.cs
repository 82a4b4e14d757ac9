using System.Globalization;
using DeviceTwins.Grains.Interfaces;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using StackExchange.Redis;

namespace DeviceTwins.Api.Apis;

/// <summary>
/// Answers 503 problem details with Retry-After when a request failed because a dependency is unreachable: the twin
/// store (Redis) or the Orleans cluster. Every other exception is left to the default 500 problem.
/// </summary>
public sealed partial class ServiceUnavailableExceptionHandler(ILogger<ServiceUnavailableExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is told to wait before retrying.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Problem title of every 503.</summary>
    public const string Title = "Service unavailable";

    /// <summary>Problem detail when the twin store cannot be reached.</summary>
    public const string TwinStoreDetail = "The twin store is not reachable; retry later.";

    /// <summary>Problem detail when the cluster cannot be reached or did not answer in time.</summary>
    public const string ClusterDetail = "The device twin cluster is not reachable or did not answer in time; retry later.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        if (Unavailable(exception) is not var (detail, cause))
        {
            return false;
        }

        // One line per request, without the stack: an outage fails every request the same way.
        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, cause.GetType().FullName, cause.Message);
        httpContext.Response.Headers[HeaderNames.RetryAfter] = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, Title, detail, httpContext).ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The problem detail and the exception showing a dependency unreachable in <paramref name="exception"/>'s chain
    /// (inner and aggregated exceptions), or null when nothing in it does.
    /// </summary>
    public static (string Detail, Exception Cause)? Unavailable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            switch (current)
            {
                // Storage failures reach the API wrapped in an OrleansException, as its inner exception.
                case TwinStoreUnavailableException or RedisException or RedisTimeoutException:
                    return (TwinStoreDetail, current);
                // SiloUnavailableException is an OrleansMessageRejectionException; TimeoutException is also Orleans' response timeout.
                case OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException or TimeoutException:
                    return (ClusterDetail, current);
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        pending.Push(inner);
                    }

                    continue;
            }

            if (current.InnerException is { } next)
            {
                pending.Push(next);
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {ExceptionType}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string? exceptionType, string reason);
}
