using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Limits;
using Microsoft.Extensions.Options;

namespace DeviceTwins.UnitTests.Api;

/// <summary>Stream caps per credential and per process, and their settings' validation.</summary>
public sealed class StreamLimiterTests
{
    [Fact]
    public void Caps_PerCredentialThenPerProcess_AndALeaseReturnsItsPlaceOnce()
    {
        var limiter = new StreamLimiter(Options.Create(new ApiLimitOptions { MaxStreams = 3, MaxStreamsPerCredential = 2 }));

        var a1 = limiter.TryAcquire("ApiKey:a", out var r1);
        var a2 = limiter.TryAcquire("ApiKey:a", out _);
        Assert.Null(limiter.TryAcquire("ApiKey:a", out var refused));
        Assert.Equal(StreamLimit.Credential, refused);
        var b1 = limiter.TryAcquire("ApiKey:b", out _);
        Assert.Null(limiter.TryAcquire("ApiKey:b", out var full));

        Assert.Equal(StreamLimit.None, r1);
        Assert.Equal(StreamLimit.Process, full);
        Assert.Equal(3, limiter.Open);

        a1!.Dispose();
        a1.Dispose();
        Assert.Equal(2, limiter.Open);
        Assert.NotNull(limiter.TryAcquire("ApiKey:a", out _));
        Assert.NotNull(a2);
        Assert.NotNull(b1);
    }

    [Fact]
    public void Validator_NamesEachBadKey()
    {
        var result = new ApiLimitOptionsValidator().Validate(null, new ApiLimitOptions
        {
            MaxStreams = 10,
            MaxStreamsPerCredential = 11,
            StreamBuffer = 0,
            AlertReplayPerPartition = -1,
            MaxCatchUpReaders = 0,
            RequestsPerSecond = -1,
            RequestBurst = 0,
        });

        Assert.Equal(
            [
                "Api:Limits:StreamBuffer must be at least 1.",
                "Api:Limits:MaxCatchUpReaders must be at least 1.",
                "Api:Limits:RequestBurst must be at least 1.",
                "Api:Limits:AlertReplayPerPartition must be 0 or more.",
                "Api:Limits:RequestsPerSecond must be 0 (off) or more.",
                "Api:Limits:MaxStreamsPerCredential cannot exceed MaxStreams (10).",
            ],
            result.Failures);
        Assert.True(new ApiLimitOptionsValidator().Validate(null, new ApiLimitOptions()).Succeeded);
    }
}
