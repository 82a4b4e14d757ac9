using DeviceTwins.Grains.Ingest;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.UnitTests.Ingest;

public sealed class IngestRatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rate_IsEachSilosRecordsBetweenItsLastTwoSamples_SummedOverSilos_LagSummed()
    {
        var rates = new IngestRates(TimeSpan.FromSeconds(10));
        rates.Add(new IngestSample("s1", T0, 1000, 5));
        Assert.Equal(new IngestStats(0, 5, 1, T0), rates.At(T0));

        rates.Add(new IngestSample("s1", T0.AddSeconds(2), 1400, 7));
        rates.Add(new IngestSample("s2", T0.AddSeconds(1), 0, 3));
        rates.Add(new IngestSample("s2", T0.AddSeconds(3), 100, 0));
        Assert.Equal(new IngestStats(250, 7, 2, T0.AddSeconds(2)), rates.At(T0.AddSeconds(3)));
    }

    [Fact]
    public void OldOrRepeatedSamplesAreIgnored_ARestartedSiloStartsOver_ASilentSiloIsForgotten()
    {
        var rates = new IngestRates(TimeSpan.FromSeconds(10));
        rates.Add(new IngestSample("s1", T0, 1000, 0));
        rates.Add(new IngestSample("s1", T0.AddSeconds(2), 1200, 0));
        rates.Add(new IngestSample("s1", T0.AddSeconds(1), 5000, 0));
        rates.Add(new IngestSample("s1", T0.AddSeconds(2), 9000, 0));
        Assert.Equal(100, rates.At(T0.AddSeconds(2)).RecordsPerSecond);

        // The count went back: a new process under the same address, no rate until its second sample.
        rates.Add(new IngestSample("s1", T0.AddSeconds(4), 10, 0));
        Assert.Equal(0, rates.At(T0.AddSeconds(4)).RecordsPerSecond);
        rates.Add(new IngestSample("s1", T0.AddSeconds(6), 50, 0));
        Assert.Equal(20, rates.At(T0.AddSeconds(6)).RecordsPerSecond);

        Assert.Equal(new IngestStats(0, 0, 0, null), rates.At(T0.AddSeconds(17)));
    }
}
