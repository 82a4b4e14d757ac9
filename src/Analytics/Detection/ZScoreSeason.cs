namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// The daily season of a <see cref="ZScoreDetector"/>: a profile of the metric's mean by hour of day (UTC, event time), each
/// hour's mean of a day folded into it when the hour ends, read between hour centers by linear interpolation. Once two days
/// are in and the profile explains three quarters of the metric's variance, the baseline and its tests see the value less the
/// profile (plus the profile's mean), so a day that loses its usual shape stands out while the shape itself raises
/// nothing. 24 floats and seven numbers of state; O(1) work per record (a fold of 24 floats once an hour for the mean).
/// </summary>
public static class ZScoreSeason
{
    /// <summary>Bins of the profile: hours of the day.</summary>
    public const int Bins = 24;

    /// <summary>Weight of a day's hourly mean in its bin: about five days of memory.</summary>
    public const float DayWeight = 0.2f;

    /// <summary>Weight of a day's hourly mean while the metric is anomalous, so an anomaly teaches the profile little.</summary>
    public const float AnomalousDayWeight = 0.02f;

    /// <summary>Weight of each record in the long-run mean and the variances that decide whether the season is used.</summary>
    public const double VarianceAlpha = 0.001;

    /// <summary>Days of profile before it may be used.</summary>
    public const int MinDays = 2;

    /// <summary>The season is used once the residual variance falls below this fraction of the metric's variance.</summary>
    public const double UseBelow = 0.25;

    /// <summary>and no longer once it rises above this fraction (hysteresis).</summary>
    public const double DropAbove = 0.5;

    private const double HoursPerDay = 24;

    /// <summary>Folds <paramref name="value"/> at <paramref name="timestamp"/>; returns the value the baseline should see.</summary>
    public static double Adjust(ZScoreState state, double value, DateTimeOffset timestamp, bool anomalous)
    {
        var hours = timestamp.UtcDateTime.TimeOfDay.TotalHours;
        var bin = Math.Clamp((int)hours, 0, Bins - 1);
        if (state.Profile.Length != Bins)
        {
            state.Profile = new float[Bins];
            Array.Fill(state.Profile, float.NaN);
            state.SeasonBin = bin;
            state.RawMean = value;
        }

        if (bin != state.SeasonBin)
        {
            CloseBin(state, anomalous);
            if (bin < state.SeasonBin)
            {
                state.SeasonDays = DetectorGuard.Increment(state.SeasonDays);
            }

            state.SeasonBin = bin;
        }

        state.BinSum += value;
        state.BinCount = DetectorGuard.Increment(state.BinCount);

        var difference = value - state.RawMean;
        state.RawMean += VarianceAlpha * difference;
        state.RawVariance = (1 - VarianceAlpha) * (state.RawVariance + difference * VarianceAlpha * difference);
        if (Expected(state.Profile, hours) is not { } expected)
        {
            return value;
        }

        var residual = value - expected;
        state.ResidualVariance += VarianceAlpha * (residual * residual - state.ResidualVariance);
        state.Seasonal = state.SeasonDays >= MinDays && state.ResidualVariance < (state.Seasonal ? DropAbove : UseBelow) * state.RawVariance;
        return state.Seasonal ? state.ProfileMean + residual : value;
    }

    /// <summary>The profile's value at <paramref name="hours"/> into the day, between the two nearest hour centers; null while either is unknown.</summary>
    public static double? Expected(float[] profile, double hours)
    {
        var position = hours - 0.5;
        var left = (int)Math.Floor(position);
        var fraction = position - left;
        var a = profile[(left + Bins) % Bins];
        var b = profile[(left + 1) % Bins];
        return float.IsNaN(a) || float.IsNaN(b) ? null : a + (b - a) * fraction;
    }

    private static void CloseBin(ZScoreState state, bool anomalous)
    {
        if (state.BinCount > 0)
        {
            var mean = (float)(state.BinSum / state.BinCount);
            var current = state.Profile[state.SeasonBin];
            state.Profile[state.SeasonBin] = float.IsNaN(current) ? mean : current + (anomalous ? AnomalousDayWeight : DayWeight) * (mean - current);
            var (sum, known) = (0.0, 0);
            foreach (var bin in state.Profile)
            {
                if (!float.IsNaN(bin))
                {
                    (sum, known) = (sum + bin, known + 1);
                }
            }

            state.ProfileMean = sum / known;
        }

        state.BinSum = 0;
        state.BinCount = 0;
    }
}
