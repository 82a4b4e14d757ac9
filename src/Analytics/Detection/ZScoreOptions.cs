namespace DeviceTwins.Analytics.Detection;

/// <summary>Parameters of a <see cref="ZScoreDetector"/>.</summary>
public sealed class ZScoreOptions
{
    /// <summary>The largest <see cref="Window"/>, which bounds each record's cost and each state's size.</summary>
    public const int MaxWindow = 1024;

    /// <summary>How the baseline is learned.</summary>
    public ZScoreMethod Method { get; set; } = ZScoreMethod.Welford;

    /// <summary>Values in the sliding window of <see cref="ZScoreMethod.Welford"/> and <see cref="ZScoreMethod.Robust"/> (2 to 1024).</summary>
    public int Window { get; set; } = 100;

    /// <summary>Records folded into the baseline before the detector may raise.</summary>
    public int WarmUp { get; set; } = 30;

    /// <summary>Weight of each new value in the <see cref="ZScoreMethod.Ewma"/> mean and variance, in (0, 1].</summary>
    public double Alpha { get; set; } = 0.05;

    /// <summary>Raise when |z| exceeds this.</summary>
    public double RaiseZ { get; set; } = 4;

    /// <summary>Once raised, clear when |z| falls below this (hysteresis).</summary>
    public double ClearZ { get; set; } = 2;

    /// <summary>Floor of the z denominator: absolute for baselines of magnitude up to 1, relative to |mean| (or |median|) above.</summary>
    public double MinStdDev { get; set; } = 1e-9;

    /// <summary>EXPERIMENT peak half-life in records, 0 off.</summary>
    public int PeakHalfLife { get; set; }

    /// <summary>EXPERIMENT ratio to the peak.</summary>
    public double PeakRatio { get; set; } = 1;

    /// <summary>EXPERIMENT second level fast alpha (0 off).</summary>
    public double FastAlpha { get; set; }

    /// <summary>EXPERIMENT second level slow alpha.</summary>
    public double SlowAlpha { get; set; } = 0.001;

    /// <summary>EXPERIMENT r2 (0 = replace mode).</summary>
    public double R2 { get; set; }

    /// <summary>EXPERIMENT clear2.</summary>
    public double C2 { get; set; }

    /// <summary>EXPERIMENT confirm.</summary>
    public int Confirm { get; set; } = 1;

    /// <summary>EXPERIMENT confirm level.</summary>
    public double ConfirmZ { get; set; }

    /// <summary>EXPERIMENT range margin (NaN off).</summary>
    public double RangeK { get; set; } = double.NaN;

    /// <summary>EXPERIMENT hold.</summary>
    public int Hold { get; set; }

    /// <summary>EXPERIMENT cap of |z|.</summary>
    public double Cap { get; set; } = 1000;

    /// <summary>EXPERIMENT tail.</summary>
    public int Tail { get; set; } = 1;

    /// <summary>EXPERIMENT peak only once warm.</summary>
    public bool PeakWarmOnly { get; set; }

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (!Enum.IsDefined(Method))
        {
            yield return $"Method must be one of {string.Join(", ", Enum.GetNames<ZScoreMethod>())}.";
        }

        if (Window is < 2 or > MaxWindow)
        {
            yield return $"Window must be between 2 and {MaxWindow}.";
        }

        if (WarmUp < 2)
        {
            yield return "WarmUp must be at least 2.";
        }

        if (!(Alpha > 0 && Alpha <= 1))
        {
            yield return "Alpha must be greater than 0 and at most 1.";
        }

        if (!(RaiseZ > 0 && double.IsFinite(RaiseZ)))
        {
            yield return "RaiseZ must be a positive finite number.";
        }

        if (!(ClearZ >= 0))
        {
            yield return "ClearZ must not be negative.";
        }

        if (ClearZ > RaiseZ)
        {
            yield return "ClearZ must not exceed RaiseZ.";
        }

        if (!(MinStdDev > 0 && double.IsFinite(MinStdDev)))
        {
            yield return "MinStdDev must be a positive finite number.";
        }
    }
}
