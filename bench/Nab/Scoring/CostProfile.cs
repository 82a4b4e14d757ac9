namespace DeviceTwins.Nab.Scoring;

/// <summary>One NAB scoring profile: the weights of a true positive, a false positive and a missed window.</summary>
/// <param name="Name">Profile name as in NAB's profiles.json, e.g. <c>standard</c>.</param>
/// <param name="TruePositiveWeight">A_TP: the worth of a detection at a window's left edge.</param>
/// <param name="FalsePositiveWeight">A_FP: the cost of a detection far from any window.</param>
/// <param name="FalseNegativeWeight">A_FN: the cost of a window with no detection.</param>
public sealed record CostProfile(string Name, double TruePositiveWeight, double FalsePositiveWeight, double FalseNegativeWeight)
{
    /// <summary>NAB v1.1 <c>standard</c>: A_TP 1, A_FP 0.11, A_FN 1.</summary>
    public static CostProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);

    /// <summary>NAB v1.1 <c>reward_low_FP_rate</c>: A_TP 1, A_FP 0.22, A_FN 1.</summary>
    public static CostProfile RewardLowFalsePositives { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);

    /// <summary>NAB v1.1 <c>reward_low_FN_rate</c>: A_TP 1, A_FP 0.11, A_FN 2.</summary>
    public static CostProfile RewardLowFalseNegatives { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    /// <summary>The three NAB v1.1 profiles, in the order NAB's scoreboard lists them.</summary>
    public static IReadOnlyList<CostProfile> NabDefaults { get; } = [Standard, RewardLowFalsePositives, RewardLowFalseNegatives];
}
