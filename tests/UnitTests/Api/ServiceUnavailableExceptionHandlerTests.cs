using System.Text.Json;
using DeviceTwins.Api.Apis;
using DeviceTwins.Grains.Interfaces;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using StackExchange.Redis;

namespace DeviceTwins.UnitTests.Api;

/// <summary>An unreachable twin store or cluster is a 503 problem with Retry-After; anything else is left to the 500 problem.</summary>
public sealed class ServiceUnavailableExceptionHandlerTests
{
    private const string TwinStore = "The twin store is not reachable; retry later.";
    private const string Cluster = "The device twin cluster is not reachable or did not answer in time; retry later.";

    public static TheoryData<Exception, string> Unavailable => new()
    {
        // What a grain call returns when the storage cannot reach Redis: Orleans' storage bridge wraps the silo's exception.
        { new OrleansException("Error from storage provider ThrottledGrainStorage.twin during ReadStateAsync", new TwinStoreUnavailableException("Reading state 'twin' of devicetwin/a failed")), TwinStore },
        { new TwinStoreUnavailableException(), TwinStore },
        { new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available"), TwinStore },
        { new RedisTimeoutException("Timeout awaiting response", CommandStatus.Unknown), TwinStore },
        { new InvalidOperationException("outer", new RedisConnectionException(ConnectionFailureType.SocketFailure, "reset")), TwinStore },
        { new AggregateException(new InvalidOperationException("first"), new OrleansException("wrapped", new TwinStoreUnavailableException())), TwinStore },
        { new SiloUnavailableException("No gateway available"), Cluster },
        { new TimeoutException("Response did not arrive on time in 00:00:30"), Cluster },
        { new OrleansException("wrapped", new TimeoutException("Response did not arrive on time")), Cluster },
    };

    public static TheoryData<Exception> Other => new()
    {
        new InvalidOperationException("a bug"),
        new OrleansException("Error from storage provider during ReadStateAsync", new IOException("disk corrupt")),
        new TypeLoadException("Unable to load Some.Type"),
        new AggregateException(new ArgumentException("bad"), new InvalidOperationException("worse")),
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task TryHandle_UnreachableDependency_Writes503ProblemWithRetryAfter(Exception exception, string detail)
    {
        var context = NewContext("/api/devices/pump-17");

        var handled = await NewHandler().TryHandleAsync(context, exception, CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/problem+json", context.Response.ContentType);
        using var body = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray());
        var problem = body.RootElement;
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal("Service unavailable", problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.Equal("/api/devices/pump-17", problem.GetProperty("instance").GetString());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.6.4", problem.GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(Other))]
    public async Task TryHandle_OtherException_LeavesItToThe500Problem(Exception exception)
    {
        var context = NewContext("/api/devices/pump-17");

        var handled = await NewHandler().TryHandleAsync(context, exception, CancellationToken.None);

        Assert.False(handled);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
        Assert.Equal(0, context.Response.Body.Length);
    }

    private static ServiceUnavailableExceptionHandler NewHandler() => new(NullLogger<ServiceUnavailableExceptionHandler>.Instance);

    private static DefaultHttpContext NewContext(string path)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }
}
