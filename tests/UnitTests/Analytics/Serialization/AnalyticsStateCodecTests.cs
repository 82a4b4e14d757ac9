using System.Collections;
using System.Reflection;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Serialization;
using DeviceTwins.Analytics.Windows;
using DeviceTwins.UnitTests.Storage;

namespace DeviceTwins.UnitTests.Analytics.Serialization;

/// <summary>The binary analytics state: every field round trips, the engine continues identically, bad bytes fail clearly.</summary>
public sealed class AnalyticsStateCodecTests
{
    [Fact]
    public void BusyState_RoundTrips_EveryPropertyEqual_AndTheEngineContinuesIdentically()
    {
        var engine = AnalyticsStateSamples.Engine();
        var original = AnalyticsStateSamples.Busy(engine);
        Assert.NotEmpty(original.PendingAlerts);
        Assert.NotEmpty(original.PendingWindows);
        Assert.Contains(original.Detectors.Values.SelectMany(d => d.Values), d => d is ZScoreState { Sorted.Length: > 0 });

        var copy = AnalyticsStateCodec.Read(AnalyticsStateCodec.Encode(original));

        Assert.Equal(AnalyticsStateSamples.Json(original), AnalyticsStateSamples.Json(copy));

        var rules = engine.RulesFor("pump-1", new Dictionary<string, string> { ["site"] = "north" });
        for (var i = 0; i < 400; i++)
        {
            var at = AnalyticsStateSamples.T0.AddMinutes(3000 + i);
            KeyValuePair<string, double>[] metrics = [new("temperature", i == 200 ? 500 : 40 + (i % 7)), new("pressure", 2.05), new("humidity", 50 + (i % 3))];
            Assert.Equal(engine.Observe(original, "pump-1", rules, at, metrics, at), engine.Observe(copy, "pump-1", rules, at, metrics, at));
        }

        Assert.Contains(original.PendingAlerts, a => a.Metric == "temperature" && a.Value == 500);
        Assert.Equal(original.PendingAlerts, copy.PendingAlerts);
        Assert.Equal(original.PendingWindows, copy.PendingWindows);

        Assert.Equal(AnalyticsStateSamples.Json(original), AnalyticsStateSamples.Json(copy));
    }

    [Fact]
    public void EverySettableProperty_OfEveryStateType_RoundTrips()
    {
        // Each property gets its own distinct non-default value, so a property the codec forgets shows as a difference.
        var seed = 0;
        var state = Filled<DeviceAnalyticsState>(ref seed);
        state.OpenWindows = [Filled<OpenWindow>(ref seed), Filled<OpenWindow>(ref seed)];
        state.Detectors = new()
        {
            ["temperature"] = new()
            {
                ["t"] = Filled<ThresholdState>(ref seed),
                ["z"] = Filled<ZScoreState>(ref seed),
            },
            ["pressure"] = new()
            {
                ["r"] = Filled<RateOfChangeState>(ref seed),
                ["f"] = Filled<FlatlineState>(ref seed),
                ["z"] = Filled<ZScoreState>(ref seed),
            },
        };
        state.Heartbeats = new() { ["offline"] = Filled<HeartbeatState>(ref seed) };
        state.Alerts = new()
        {
            [string.Empty] = new() { ["offline"] = Filled<AlertState>(ref seed) },
            ["temperature"] = new() { ["t"] = Filled<AlertState>(ref seed), ["z"] = new AlertState() },
        };
        state.PendingAlerts = [Filled<Alert>(ref seed), Filled<Alert>(ref seed) with { Metric = null, Window = null, Raise = null, Clear = null, AcknowledgedAt = null }];
        state.PendingWindows = [Filled<WindowAggregate>(ref seed)];

        var before = AnalyticsStateSamples.Json(state);
        var copy = AnalyticsStateCodec.Read(AnalyticsStateCodec.Encode(state));

        Assert.Equal(before, AnalyticsStateSamples.Json(copy));
    }

    [Fact]
    public void SpecialValues_RoundTripExactly()
    {
        var z = new ZScoreState { Mean = double.NaN, Variance = double.PositiveInfinity, SlowMean = -0.0, Upper = double.MinValue, Profile = [float.NaN, float.Epsilon] };
        var state = new DeviceAnalyticsState
        {
            Watermark = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(-5.5)).AddTicks(9),
            LastArrival = DateTimeOffset.MinValue,
            EventWatermark = DateTimeOffset.MaxValue,
            LateRecords = long.MaxValue,
            OutOfOrderRecords = long.MinValue,
            Detectors = new() { ["température ✓"] = new() { ["z"] = z } },
        };

        var copy = AnalyticsStateCodec.Read(AnalyticsStateCodec.Encode(state));
        var z2 = (ZScoreState)copy.Detectors["température ✓"]["z"];

        Assert.Equal(state.Watermark, copy.Watermark);
        Assert.Equal(state.Watermark!.Value.Offset, copy.Watermark!.Value.Offset);
        Assert.Equal(DateTimeOffset.MinValue, copy.LastArrival);
        Assert.Equal(DateTimeOffset.MaxValue, copy.EventWatermark);
        Assert.Equal(long.MaxValue, copy.LateRecords);
        Assert.Equal(long.MinValue, copy.OutOfOrderRecords);
        Assert.True(double.IsNaN(z2.Mean));
        Assert.Equal(double.PositiveInfinity, z2.Variance);
        Assert.True(double.IsNegative(z2.SlowMean));
        Assert.Equal(double.MinValue, z2.Upper);
        Assert.True(float.IsNaN(z2.Profile[0]));
        Assert.Equal(float.Epsilon, z2.Profile[1]);
    }

    [Fact]
    public void RepeatedNames_AreWrittenOnce()
    {
        var engine = AnalyticsStateSamples.Engine();
        var state = AnalyticsStateSamples.Busy(engine, 300);
        var bytes = AnalyticsStateCodec.Encode(state).ToArray();

        Assert.Equal(1, Occurrences(bytes, "temperature"u8));
        Assert.Equal(1, Occurrences(bytes, "pump-1"u8));
    }

    [Fact]
    public void EveryTruncation_FailsWithTheFormatException()
    {
        var bytes = AnalyticsStateCodec.Encode(AnalyticsStateSamples.Busy(AnalyticsStateSamples.Engine(), 300)).ToArray();

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<AnalyticsStateFormatException>(() => AnalyticsStateCodec.Read(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void NewerVersion_OrTrailingBytes_FailWithAClearMessage()
    {
        var bytes = AnalyticsStateCodec.Encode(new DeviceAnalyticsState()).ToArray();

        var newer = (byte[])bytes.Clone();
        newer[0] = AnalyticsStateCodec.Version + 1;
        var e = Assert.Throws<AnalyticsStateFormatException>(() => AnalyticsStateCodec.Read(newer));
        Assert.Equal("Analytics state cannot be read: format version 2; this version reads 1", e.Message);

        var longer = bytes.Append((byte)0).ToArray();
        Assert.Throws<AnalyticsStateFormatException>(() => AnalyticsStateCodec.Read(longer));
    }

    [Fact]
    public void FlippedBytes_NeverFailWithAnythingButTheFormatException()
    {
        var bytes = AnalyticsStateCodec.Encode(AnalyticsStateSamples.Busy(AnalyticsStateSamples.Engine(), 300)).ToArray();
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[1 + random.Next(corrupt.Length - 1)] = (byte)random.Next(256);
            try
            {
                AnalyticsStateCodec.Read(corrupt);
            }
            catch (AnalyticsStateFormatException)
            {
            }
        }
    }

    private static int Occurrences(byte[] bytes, ReadOnlySpan<byte> value)
    {
        var count = 0;
        for (var span = bytes.AsSpan(); span.IndexOf(value) is var at and >= 0; span = span[(at + value.Length)..])
        {
            count++;
        }

        return count;
    }

    private static T Filled<T>(ref int seed) => (T)Filled(typeof(T), ref seed);

    private static object Filled(Type type, ref int seed)
    {
        var value = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var n = ++seed;
            object? v = property.PropertyType switch
            {
                var t when t == typeof(double) || t == typeof(double?) => n + 0.25,
                var t when t == typeof(float) => n + 0.5f,
                var t when t == typeof(int) => n,
                var t when t == typeof(long) && (type == typeof(RunningStatistics) || type == typeof(OpenWindow)) => (long)n * 1_000_007,
                var t when t == typeof(long) => (long)n * 1_000_000_007,
                var t when t == typeof(bool) => true,
                var t when t == typeof(string) => "s" + n,
                var t when t == typeof(TimeSpan) => TimeSpan.FromSeconds(n),
                var t when t == typeof(DateTimeOffset) || t == typeof(DateTimeOffset?) => AnalyticsStateSamples.T0.AddMinutes(n).ToOffset(TimeSpan.FromHours(n % 3)),
                var t when t == typeof(double[]) => new[] { n, n + 0.5, -n },
                var t when t == typeof(float[]) => new[] { n, n + 0.5f },
                var t when t == typeof(List<DateTimeOffset>) => new List<DateTimeOffset> { AnalyticsStateSamples.T0.AddHours(n), AnalyticsStateSamples.T0.AddHours(n + 1) },
                var t when t.IsEnum => Enum.GetValues(t).GetValue(Enum.GetValues(t).Length - 1),
                var t when t == typeof(RunningStatistics) || t == typeof(AlertWindow) || t == typeof(AlertCause) || t == typeof(Alert) => Filled(t, ref seed),
                var t when typeof(IEnumerable).IsAssignableFrom(t) => null,
                var t => throw new InvalidOperationException($"the test does not know how to fill {type.Name}.{property.Name} ({t.Name}): add it, and to the codec"),
            };
            if (v is not null)
            {
                property.SetValue(value, v);
            }
        }

        return value;
    }
}
