using System.Diagnostics.Metrics;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Streaming.Kafka.Providers;
using DeviceTwins.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DeviceTwins.UnitTests.Telemetry;

public sealed class TelemetryRecordMapperTests
{
    private readonly TelemetryRecordMapper _mapper = new(Options.Create(new TelemetryOptions()), new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero)));

    public static TheoryData<int> KindIndexes => [.. Enumerable.Range(0, PoisonRecords.KindCount)];

    [Theory]
    [MemberData(nameof(KindIndexes))]
    public void Map_PoisonRecordOfEachKind_IsRejectedWithItsReason(int index)
    {
        var poison = PoisonRecords.Create(index, "pump-17");

        var mapping = Map(poison);

        Assert.False(mapping.IsAccepted, poison.Kind);
        Assert.Contains(poison.ExpectedReason, mapping.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_LargePoisonRecord_IsRejectedForItsSize()
    {
        var poison = PoisonRecords.CreateLarge("pump-17");

        var mapping = Map(poison);

        Assert.Equal(PoisonRecords.LargeValueBytes, poison.Value.Length);
        Assert.Equal("value of 1048576 bytes exceeds the limit of 65536 bytes", mapping.Rejection);
    }

    [Fact]
    public void PoisonRecords_SameArguments_SameBytes()
    {
        Assert.Equal(PoisonRecords.CreateLarge("pump-17").Value, PoisonRecords.CreateLarge("pump-17").Value);
        Assert.NotEqual(PoisonRecords.CreateLarge("pump-17").Value, PoisonRecords.CreateLarge("pump-18").Value);
        Assert.Equal(PoisonRecords.Create(3, "pump-17").Value, PoisonRecords.Create(3, "pump-17").Value);
        Assert.Equal(PoisonRecords.Create(3, "pump-17").Kind, PoisonRecords.Create(3 + PoisonRecords.KindCount, "pump-17").Kind);
        Assert.Equal(PoisonRecords.Kinds.Count, PoisonRecords.Kinds.Distinct().Count());
        Assert.Equal(PoisonRecords.Kinds[0], PoisonRecords.Create(-PoisonRecords.KindCount, "pump-17").Kind);
    }

    [Fact]
    public void Map_NullKeyAndEmptyKey_HaveDistinctReasons()
    {
        var value = """{"deviceId":"pump-17","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}"""u8.ToArray();

        var none = _mapper.Map(new KafkaRecord("t", 0, 0, default, value, default, hasKey: false));
        var empty = _mapper.Map(new KafkaRecord("t", 0, 0, [], value, default, hasKey: true));

        Assert.Equal("missing key: the record has no key; it must be the device id", none.Rejection);
        Assert.Equal("missing key: the record key is empty; it must be the device id", empty.Rejection);
    }

    [Fact]
    public void Map_AcceptedRecord_CarriesItsReadTime_AndRecordsItsWaitInKafka()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var measured = new List<(double Seconds, string? Stage)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "devicetwins.twins.intake_duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? stage = null;
            foreach (var tag in tags)
            {
                stage = tag.Key == "stage" ? tag.Value as string : stage;
            }

            measured.Add((value, stage));
        });
        listener.Start();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        var mapper = new TelemetryRecordMapper(Options.Create(new TelemetryOptions()), clock, new TwinMetrics(factory));
        var value = """{"deviceId":"pump-17","ts":"2026-11-27T09:59:59Z","metrics":{"t":1}}"""u8.ToArray();

        var mapping = mapper.Map(new KafkaRecord("iot.telemetry", 0, 7, "pump-17"u8, value, clock.GetUtcNow().AddMilliseconds(-250), hasKey: true));
        var rejected = mapper.Map(new KafkaRecord("iot.telemetry", 0, 8, "pump-17"u8, "{}"u8, clock.GetUtcNow().AddSeconds(-1), hasKey: true));

        Assert.Equal(clock.GetUtcNow(), Assert.IsType<TelemetryEvent>(mapping.Event).ReceivedAt);
        Assert.False(rejected.IsAccepted);
        Assert.Equal([(0.25, TwinMetrics.IntakeKafka)], measured);
    }

    private KafkaRecordMapping Map(PoisonRecord poison) =>
        _mapper.Map(new KafkaRecord("iot.telemetry", 0, 0, poison.Key, poison.Value, default, poison.Key is not null));
}
