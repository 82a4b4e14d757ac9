using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Silo.Analytics;
using DeviceTwins.Silo.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceTwins.UnitTests.Publishing;

/// <summary>Errors of the alert and aggregate producer are counted in "devicetwins.alerts.producer_errors" by code.</summary>
public sealed class ProducerErrorMetricsTests
{
    private const string Instrument = "devicetwins.alerts.producer_errors";

    [Fact]
    public void ProducerError_Recorded_CountsOneWithCodeAndFatalTags()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var listener = new ErrorListener();
        var metrics = new TwinMetrics(services.GetRequiredService<IMeterFactory>());

        metrics.ProducerError("Local_AllBrokersDown", fatal: false);
        metrics.ProducerError("Local_AllBrokersDown", fatal: false);
        metrics.ProducerError("Local_Fatal", fatal: true);

        Assert.Equal(2, listener.Count("Local_AllBrokersDown", "false"));
        Assert.Equal(1, listener.Count("Local_Fatal", "true"));
    }

    [Fact]
    public async Task Publisher_BrokerUnreachable_CountsProducerErrors()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var listener = new ErrorListener();
        var metrics = new TwinMetrics(services.GetRequiredService<IMeterFactory>());

        // Nothing listens on port 1: librdkafka reports the transport failure through the error handler.
        using var publisher = new KafkaAnalyticsPublisher(new KafkaOptions(), "127.0.0.1:1", metrics, NullLogger<KafkaAnalyticsPublisher>.Instance);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (listener.Total == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(listener.Total > 0, "no producer error was counted within 30 s of starting a producer against a closed port");
    }

    /// <summary>Collects the measurements of the producer-error counter by (code, fatal).</summary>
    private sealed class ErrorListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<(string Code, string Fatal), long> _counts = new();

        public ErrorListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TwinMetrics.MeterName && instrument.Name == Instrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? code = null, fatal = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "code")
                    {
                        code = tag.Value as string;
                    }
                    else if (tag.Key == "fatal")
                    {
                        fatal = tag.Value as string;
                    }
                }

                _counts.AddOrUpdate((code ?? "?", fatal ?? "?"), value, (_, sum) => sum + value);
            });
            _listener.Start();
        }

        public long Total => _counts.Values.Sum();

        public long Count(string code, string fatal) => _counts.TryGetValue((code, fatal), out var count) ? count : 0;

        public void Dispose() => _listener.Dispose();
    }
}
