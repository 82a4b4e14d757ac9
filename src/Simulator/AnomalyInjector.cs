namespace DeviceTwins.Simulator;

/// <summary>Applies the configured anomalies to one device's readings, by time since the simulator started.</summary>
public sealed class AnomalyInjector
{
    private readonly AnomalyOptions[] _anomalies;
    private readonly double?[] _stuck;

    /// <summary>The anomalies of <paramref name="deviceId"/> among <paramref name="all"/>.</summary>
    public AnomalyInjector(string deviceId, IEnumerable<AnomalyOptions> all)
    {
        ArgumentNullException.ThrowIfNull(all);
        _anomalies = [.. all.Where(a => a.Devices.Contains(deviceId, StringComparer.Ordinal))];
        _stuck = new double?[_anomalies.Length];
    }

    /// <summary>Whether the device has any anomaly to inject.</summary>
    public bool IsEmpty => _anomalies.Length == 0;

    /// <summary>Whether the device is silent at <paramref name="elapsed"/>.</summary>
    public bool IsDroppedOut(TimeSpan elapsed)
    {
        foreach (var anomaly in _anomalies)
        {
            if (anomaly.Kind == AnomalyKind.Dropout && IsActive(anomaly, elapsed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The reading of <paramref name="metric"/> as the device reports it at <paramref name="elapsed"/>.</summary>
    public double Apply(string metric, double value, TimeSpan elapsed)
    {
        for (var i = 0; i < _anomalies.Length; i++)
        {
            var anomaly = _anomalies[i];
            if (anomaly.Kind == AnomalyKind.Dropout || !string.Equals(anomaly.Metric, metric, StringComparison.Ordinal))
            {
                continue;
            }

            if (!IsActive(anomaly, elapsed))
            {
                _stuck[i] = null;
                continue;
            }

            value = anomaly.Kind switch
            {
                AnomalyKind.Spike or AnomalyKind.LevelShift => value + anomaly.Magnitude,
                AnomalyKind.Drift => value + (anomaly.Magnitude * (elapsed - anomaly.Start).TotalMinutes),
                _ => _stuck[i] ??= value,
            };
        }

        return value;
    }

    private static bool IsActive(AnomalyOptions anomaly, TimeSpan elapsed) =>
        elapsed >= anomaly.Start && elapsed < anomaly.Start + anomaly.Duration;
}
