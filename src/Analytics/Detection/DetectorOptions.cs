namespace DeviceTwins.Analytics.Detection;

/// <summary>The parameters of every metric detector, as a rule's configuration section binds them; only the rule's kind is used.</summary>
public sealed class DetectorOptions
{
    /// <summary>Parameters of <see cref="DetectorKind.Threshold"/>.</summary>
    public ThresholdOptions Threshold { get; set; } = new();

    /// <summary>Parameters of <see cref="DetectorKind.ZScore"/>.</summary>
    public ZScoreOptions ZScore { get; set; } = new();

    /// <summary>Parameters of <see cref="DetectorKind.RateOfChange"/>.</summary>
    public RateOfChangeOptions RateOfChange { get; set; } = new();

    /// <summary>Parameters of <see cref="DetectorKind.Flatline"/>.</summary>
    public FlatlineOptions Flatline { get; set; } = new();

    /// <summary>Messages naming each invalid setting of <paramref name="kind"/> (as "Section:Property ..."); empty when valid, and for the device-level Heartbeat, whose options are validated on their own.</summary>
    public IEnumerable<string> Validate(DetectorKind kind) => kind switch
    {
        DetectorKind.Threshold => Section(nameof(Threshold), Threshold?.Validate()),
        DetectorKind.ZScore => Section(nameof(ZScore), ZScore?.Validate()),
        DetectorKind.RateOfChange => Section(nameof(RateOfChange), RateOfChange?.Validate()),
        DetectorKind.Flatline => Section(nameof(Flatline), Flatline?.Validate()),
        DetectorKind.Heartbeat => [],
        _ => [$"Kind {kind} is not a known detector."],
    };

    private static IEnumerable<string> Section(string name, IEnumerable<string>? errors) =>
        errors is null ? [$"{name} must be set."] : errors.Select(error => $"{name}:{error}");
}
