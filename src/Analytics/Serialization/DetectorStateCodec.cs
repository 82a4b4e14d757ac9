using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.Analytics.Serialization;

/// <summary>The detector states in the analytics state format: a kind byte, then the fields of that kind in a fixed order.</summary>
internal static class DetectorStateCodec
{
    private const byte Threshold = 1;
    private const byte ZScore = 2;
    private const byte Rate = 3;
    private const byte Flatline = 4;

    public static void Write(StateWriter w, DetectorState state)
    {
        switch (state)
        {
            case ThresholdState t:
                w.Byte(Threshold);
                WriteBase(w, t);
                w.UInt((uint)t.Side);
                w.Instant(t.Since);
                break;
            case ZScoreState z:
                w.Byte(ZScore);
                WriteBase(w, z);
                WriteZScore(w, z);
                break;
            case RateOfChangeState r:
                w.Byte(Rate);
                WriteBase(w, r);
                w.Double(r.Rate);
                break;
            case FlatlineState f:
                w.Byte(Flatline);
                WriteBase(w, f);
                w.Double(f.RunValue);
                w.Instant(f.RunStart);
                w.Int(f.RunRecords);
                break;
            default:
                throw new ArgumentException($"no encoding for detector state {state.GetType().Name}", nameof(state));
        }
    }

    public static DetectorState Read(ref StateReader r)
    {
        var kind = r.Byte();
        DetectorState state;
        switch (kind)
        {
            case Threshold:
                var t = new ThresholdState();
                ReadBase(ref r, t);
                t.Side = (ThresholdSide)r.UInt();
                t.Since = r.NullableInstant();
                state = t;
                break;
            case ZScore:
                var z = new ZScoreState();
                ReadBase(ref r, z);
                ReadZScore(ref r, z);
                state = z;
                break;
            case Rate:
                var rate = new RateOfChangeState();
                ReadBase(ref r, rate);
                rate.Rate = r.Double();
                state = rate;
                break;
            case Flatline:
                var f = new FlatlineState();
                ReadBase(ref r, f);
                f.RunValue = r.Double();
                f.RunStart = r.NullableInstant();
                f.RunRecords = r.Int32();
                state = f;
                break;
            default:
                throw new AnalyticsStateFormatException($"unknown detector kind {kind}");
        }

        return state;
    }

    public static void Write(StateWriter w, HeartbeatState state)
    {
        w.Instant(state.LastSeen);
        w.Double(state.IntervalSeconds);
        w.Int(state.Intervals);
        w.Bool(state.Anomalous);
    }

    public static HeartbeatState ReadHeartbeat(ref StateReader r) => new()
    {
        LastSeen = r.NullableInstant(),
        IntervalSeconds = r.Double(),
        Intervals = r.Int32(),
        Anomalous = r.Bool(),
    };

    private static void WriteBase(StateWriter w, DetectorState state)
    {
        w.Bool(state.Anomalous);
        w.Instant(state.LastTimestamp);
        w.Double(state.LastValue);
    }

    private static void ReadBase(ref StateReader r, DetectorState state)
    {
        state.Anomalous = r.Bool();
        state.LastTimestamp = r.NullableInstant();
        state.LastValue = r.NullableDouble();
    }

    private static void WriteZScore(StateWriter w, ZScoreState z)
    {
        w.UInt((uint)z.Method);
        w.Int(z.Observed);
        w.Doubles(z.Window);
        w.Int(z.Count);
        w.Int(z.Next);
        w.Doubles(z.Sorted);
        w.Double(z.Mean);
        w.Double(z.SumSquares);
        w.Double(z.Variance);
        w.Int(z.SinceRecompute);
        w.Double(z.Upper);
        w.Double(z.Lower);
        w.Double(z.FastUpper);
        w.Double(z.FastLower);
        w.Double(z.ShortDeviation);
        w.Double(z.DeviationMean);
        w.Double(z.DeviationVariance);
        w.Int(z.Deviations);
        w.Double(z.SlowMean);
        w.Double(z.GapVariance);
        w.Floats(z.Profile);
        w.Int(z.SeasonBin);
        w.Double(z.BinSum);
        w.Int(z.BinCount);
        w.Int(z.SeasonDays);
        w.Double(z.ProfileMean);
        w.Double(z.RawMean);
        w.Double(z.RawVariance);
        w.Double(z.ResidualVariance);
        w.Bool(z.Seasonal);
        w.Double(z.Resolution);
        w.Int(z.Run);
        w.Int(z.Runs);
        w.Double(z.LongestRun);
    }

    private static void ReadZScore(ref StateReader r, ZScoreState z)
    {
        z.Method = (ZScoreMethod)r.UInt();
        z.Observed = r.Int32();
        z.Window = r.Doubles();
        z.Count = r.Int32();
        z.Next = r.Int32();
        z.Sorted = r.Doubles();
        z.Mean = r.Double();
        z.SumSquares = r.Double();
        z.Variance = r.Double();
        z.SinceRecompute = r.Int32();
        z.Upper = r.NullableDouble();
        z.Lower = r.NullableDouble();
        z.FastUpper = r.NullableDouble();
        z.FastLower = r.NullableDouble();
        z.ShortDeviation = r.Double();
        z.DeviationMean = r.Double();
        z.DeviationVariance = r.Double();
        z.Deviations = r.Int32();
        z.SlowMean = r.Double();
        z.GapVariance = r.Double();
        z.Profile = r.Floats();
        z.SeasonBin = r.Int32();
        z.BinSum = r.Double();
        z.BinCount = r.Int32();
        z.SeasonDays = r.Int32();
        z.ProfileMean = r.Double();
        z.RawMean = r.Double();
        z.RawVariance = r.Double();
        z.ResidualVariance = r.Double();
        z.Seasonal = r.Bool();
        z.Resolution = r.Double();
        z.Run = r.Int32();
        z.Runs = r.Int32();
        z.LongestRun = r.Double();
    }
}
