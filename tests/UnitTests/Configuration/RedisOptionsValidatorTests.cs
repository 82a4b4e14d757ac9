using DeviceTwins.Api.Configuration;

namespace DeviceTwins.UnitTests.Configuration;

public sealed class RedisOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_SucceedWithOneSecondProbeInterval()
    {
        var options = new RedisOptions { ConnectionString = "127.0.0.1:6379" };

        var result = new RedisOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(TimeSpan.FromSeconds(1), options.CircuitProbeInterval);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    [InlineData("00:00:00.005")]
    [InlineData("00:05:01")]
    public void Validate_CircuitProbeIntervalOutOfRange_FailsNamingTheKey(string interval)
    {
        var result = new RedisOptionsValidator().Validate(null, new RedisOptions { CircuitProbeInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains("Redis:CircuitProbeInterval", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00.050")]
    [InlineData("00:01:01")]
    public void Validate_ReplicaAckDeadlineShorterThanOneWaitOrOverAMinute_FailsNamingTheKey(string deadline)
    {
        var result = new RedisOptionsValidator().Validate(null, new RedisOptions { ReplicaAckDeadline = TimeSpan.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains("Redis:ReplicaAckDeadline", result.FailureMessage, StringComparison.Ordinal);
    }
}
