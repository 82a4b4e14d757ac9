using System.Runtime.InteropServices;

namespace DeviceTwins.Analytics.Windows;

/// <summary>
/// Count, min, max, sum, mean, population standard deviation (Welford), first and last by event time of a stream of values.
/// A struct held inline in its window, so a window opened at a boundary allocates nothing. The event times of the first and
/// last values are kept as UTC instants: they only order the values and are never published, so their offsets are not kept.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct RunningStatistics
{
    // Four-byte packing: the count's int and the window's late count share eight bytes (a slot of 104 bytes, not 112).
    private long _firstAtTicks;
    private long _lastAtTicks;
    private int _count;

    /// <summary>Values added (a window holds fewer than 2^31: four bytes of every window's twelve slots saved).</summary>
    public long Count
    {
        readonly get => _count;
        set => _count = checked((int)value);
    }

    /// <summary>Smallest value.</summary>
    public double Min { get; set; }

    /// <summary>Largest value.</summary>
    public double Max { get; set; }

    /// <summary>Sum of the values.</summary>
    public double Sum { get; set; }

    /// <summary>Running mean.</summary>
    public double Mean { get; set; }

    /// <summary>Sum of squared deviations from the mean (Welford's M2).</summary>
    public double M2 { get; set; }

    /// <summary>Value with the earliest event time (the first to arrive among equals).</summary>
    public double First { get; set; }

    /// <summary>Event time of <see cref="First"/>, in UTC.</summary>
    public DateTimeOffset FirstAt
    {
        readonly get => new(_firstAtTicks, TimeSpan.Zero);
        set => _firstAtTicks = value.UtcTicks;
    }

    /// <summary>Value with the latest event time (the last to arrive among equals).</summary>
    public double Last { get; set; }

    /// <summary>Event time of <see cref="Last"/>, in UTC.</summary>
    public DateTimeOffset LastAt
    {
        readonly get => new(_lastAtTicks, TimeSpan.Zero);
        set => _lastAtTicks = value.UtcTicks;
    }

    /// <summary>Population standard deviation; 0 below two values.</summary>
    public readonly double StdDev => Count > 1 ? Math.Sqrt(Math.Max(0, M2 / Count)) : 0;

    /// <summary>Adds a value observed at <paramref name="timestamp"/>.</summary>
    public void Add(double value, DateTimeOffset timestamp)
    {
        var ticks = timestamp.UtcTicks;
        if (Count == 0)
        {
            Min = Max = First = Last = value;
            _firstAtTicks = _lastAtTicks = ticks;
        }
        else
        {
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
            if (ticks < _firstAtTicks)
            {
                First = value;
                _firstAtTicks = ticks;
            }

            if (ticks >= _lastAtTicks)
            {
                Last = value;
                _lastAtTicks = ticks;
            }
        }

        _count++;
        Sum += value;
        var delta = value - Mean;
        Mean += delta / Count;
        M2 += delta * (value - Mean);
    }
}
