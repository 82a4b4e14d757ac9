using System.Diagnostics.Metrics;

namespace DeviceTwins.Mqtt;

/// <summary>The bridge's metrics (meter "DeviceTwins.Mqtt"): connections, publishes, refusals by reason, Kafka acknowledgement time, commands delivered.</summary>
public sealed class MqttBridgeMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceTwins.Mqtt";

    private readonly Counter<long> _published;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _delivered;
    private readonly Histogram<double> _produce;
    private long _connected;

    public MqttBridgeMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _published = meter.CreateCounter<long>("devicetwins.mqtt.publishes", "{publish}", "Publishes produced to Kafka and acknowledged to the device, by kind");
        _refused = meter.CreateCounter<long>("devicetwins.mqtt.refused", "{refusal}", "Connections, publishes and subscriptions refused, by reason");
        _delivered = meter.CreateCounter<long>("devicetwins.mqtt.commands_delivered", "{command}", "Command deliveries sent to connected devices");
        _produce = meter.CreateHistogram<double>("devicetwins.mqtt.produce_duration", "s", "From a device's publish to Kafka's acknowledgement (the PUBACK follows)");
        meter.CreateObservableGauge("devicetwins.mqtt.connections", () => Interlocked.Read(ref _connected), "{connection}", "Devices connected");
    }

    /// <summary>Devices connected now.</summary>
    public long Connections => Interlocked.Read(ref _connected);

    /// <summary>Counts a device connected.</summary>
    public void Connected() => Interlocked.Increment(ref _connected);

    /// <summary>Counts a device disconnected.</summary>
    public void Disconnected() => Interlocked.Decrement(ref _connected);

    /// <summary>Counts a publish produced and acknowledged, with its time to Kafka's acknowledgement.</summary>
    public void Published(string kind, TimeSpan produce)
    {
        _published.Add(1, new KeyValuePair<string, object?>("kind", kind));
        _produce.Record(produce.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    /// <summary>Counts a refusal.</summary>
    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a command delivery sent.</summary>
    public void Delivered() => _delivered.Add(1);
}
