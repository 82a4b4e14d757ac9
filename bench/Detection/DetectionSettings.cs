using System.Globalization;

namespace DeviceTwins.DetectionBench;

/// <summary>Command-line settings: how many series of each kind, how long, and whether to print the reasons of false raises.</summary>
internal sealed record DetectionSettings(int Seeds, int Records, int AnomalySeeds, bool Reasons)
{
    public const string Usage = "Use [--seeds 20] [--records 100000] [--anomaly-seeds 100] [--reasons].";

    public static DetectionSettings Parse(string[] args)
    {
        var settings = new DetectionSettings(20, 100_000, 100, false);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reasons")
            {
                settings = settings with { Reasons = true };
                continue;
            }

            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"'{args[i]}' needs a value. {Usage}");
            settings = args[i - 1] switch
            {
                "--seeds" => settings with { Seeds = Positive(value, "--seeds") },
                "--records" => settings with { Records = Positive(value, "--records") },
                "--anomaly-seeds" => settings with { AnomalySeeds = Positive(value, "--anomaly-seeds") },
                _ => throw new ArgumentException($"Unknown argument '{args[i - 1]}'. {Usage}"),
            };
        }

        return settings;
    }

    private static int Positive(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} '{value}' must be a positive integer. {Usage}");
}
