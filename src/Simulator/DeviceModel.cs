using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace DeviceTwins.Simulator;

/// <summary>
/// One simulated device: a pump-like sensor whose process values wander slowly around the device's operating point and are
/// pulled back to it (a mean-reverting walk, as a regulated process is), read with Gaussian measurement noise; its battery
/// drains slowly.
/// </summary>
public sealed class DeviceModel
{
    private static readonly string[] Firmware = ["1.4.2", "1.5.0", "2.0.1"];
    private static readonly string[] Sites = ["plant-a", "plant-b", "plant-c"];
    private readonly Random _random;
    // Each record moves a process value a fiftieth of the way back to its operating point, plus a small uniform step.
    private const double Reversion = 0.02;
    private readonly double _temperatureSetpoint;
    private readonly double _pressureSetpoint;
    private readonly double _humiditySetpoint;
    private double _temperature;
    private double _pressure;
    private double _humidity;
    private double _battery;
    private long _sent;

    private readonly AnomalyInjector? _anomalies;

    public DeviceModel(string deviceId, Random random, IEnumerable<AnomalyOptions>? anomalies = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        DeviceId = deviceId;
        var injector = new AnomalyInjector(deviceId, anomalies ?? []);
        _anomalies = injector.IsEmpty ? null : injector;
        _random = random;
        _temperature = _temperatureSetpoint = 18 + (random.NextDouble() * 10);
        _pressure = _pressureSetpoint = 0.95 + (random.NextDouble() * 0.1);
        _humidity = _humiditySetpoint = 35 + (random.NextDouble() * 20);
        _battery = 80 + (random.NextDouble() * 20);
    }

    /// <summary>The device id, also the record key.</summary>
    public string DeviceId { get; }

    /// <summary>
    /// Advances the walk and writes the next telemetry record as UTF-8 JSON, with the anomalies active at
    /// <paramref name="elapsed"/> since the simulator started; false (nothing written) while the device drops out.
    /// </summary>
    public bool WriteNext(DateTimeOffset eventTime, IBufferWriter<byte> output, TimeSpan elapsed = default)
    {
        _temperature += (Reversion * (_temperatureSetpoint - _temperature)) + ((_random.NextDouble() - 0.5) * 0.1);
        _pressure += (Reversion * (_pressureSetpoint - _pressure)) + ((_random.NextDouble() - 0.5) * 0.002);
        _humidity += (Reversion * (_humiditySetpoint - _humidity)) + ((_random.NextDouble() - 0.5) * 0.2);
        _battery = Math.Max(0, _battery - 0.001);
        if (_anomalies?.IsDroppedOut(elapsed) == true)
        {
            return false;
        }

        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("deviceId", DeviceId);
        writer.WriteString("ts", eventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteStartObject("metrics");
        writer.WriteNumber("temperature", Math.Round(Reported("temperature", Math.Clamp(_temperature + (0.2 * Normal()), -20, 90), elapsed), 2));
        writer.WriteNumber("pressure", Math.Round(Reported("pressure", Math.Clamp(_pressure + (0.003 * Normal()), 0.5, 2.0), elapsed), 4));
        writer.WriteNumber("humidity", Math.Round(Reported("humidity", Math.Clamp(_humidity + (0.4 * Normal()), 0, 100), elapsed), 1));
        writer.WriteNumber("battery", Math.Round(Reported("battery", _battery, elapsed), 3));
        writer.WriteEndObject();
        if (_sent++ % 100 == 0)
        {
            // Reported properties change rarely; send them with the first record and now and then.
            var hash = (uint)DeviceId.GetHashCode(StringComparison.Ordinal);
            writer.WriteStartObject("props");
            writer.WriteString("firmware", Firmware[hash % Firmware.Length]);
            writer.WriteString("site", Sites[hash / 7 % Sites.Length]);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        return true;
    }

    // A standard normal draw (Box-Muller) for the measurement noise.
    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private double Reported(string metric, double value, TimeSpan elapsed) =>
        _anomalies is null ? value : _anomalies.Apply(metric, value, elapsed);
}
