using DeviceTwins.Streaming.Kafka.Providers;

namespace DeviceTwins.UnitTests.Streaming;

public sealed class KafkaDeliveryBackoffTests
{
    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1600)]
    [InlineData(6, 2000)]
    [InlineData(1000, 2000)]
    public void Nominal_DoublesFrom100MillisecondsUpToTheBound(int attempt, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), new KafkaDeliveryBackoff(TimeSpan.FromSeconds(2)).Nominal(attempt));

    [Fact]
    public void Next_StaysWithinTwentyPercentOfNominal()
    {
        var backoff = new KafkaDeliveryBackoff(TimeSpan.FromSeconds(2));
        for (var attempt = 1; attempt < 10; attempt++)
        {
            for (var i = 0; i < 200; i++)
            {
                var next = backoff.Next(attempt);
                Assert.InRange(next, backoff.Nominal(attempt) * 0.8, backoff.Nominal(attempt) * 1.2);
            }
        }
    }
}
