namespace DeviceTwins.Nab.Scoring;

/// <summary>Scores one series' binary detections the way NAB v1.1's Sweeper scores it at a fixed threshold.</summary>
public static class SeriesScorer
{
    /// <summary>Scores <paramref name="detections"/> (one per row) against windows given as timestamps.</summary>
    public static SeriesScore Score(IReadOnlyList<DateTime> timestamps, IReadOnlyList<AnomalyWindow> windows, IReadOnlyList<bool> detections, CostProfile profile)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        return Score(WindowSpan.Locate(timestamps, windows), detections, profile);
    }

    /// <summary>Scores <paramref name="detections"/> (one per row) against windows given as row spans.</summary>
    /// <remarks>Rows before the probationary length are ignored. A window scores its earliest detection
    /// (the highest weighted value, as NAB's max), or -A_FN when it has none; a window lying wholly in the
    /// probationary period is not scored at all. Each detection outside a window adds its weighted false positive.</remarks>
    public static SeriesScore Score(IReadOnlyList<WindowSpan> windows, IReadOnlyList<bool> detections, CostProfile profile)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(profile);
        WindowSpan.Validate(windows, detections.Count);

        var probationaryLength = ScoringFunction.ProbationaryLength(detections.Count);
        var best = new double?[windows.Count];
        var detected = new bool[windows.Count];
        var falsePositiveSum = 0.0;
        int truePositives = 0, trueNegatives = 0, falsePositives = 0, falseNegatives = 0;

        var next = 0;
        WindowSpan? current = null;
        WindowSpan? preceding = null;
        for (var row = 0; row < detections.Count; row++)
        {
            if (current is null && next < windows.Count && windows[next].First == row)
            {
                current = windows[next++];
            }

            if (row >= probationaryLength)
            {
                if (current is { } window)
                {
                    var index = next - 1;
                    best[index] ??= -profile.FalseNegativeWeight;
                    if (detections[row])
                    {
                        best[index] = Math.Max(best[index]!.Value, ScoringFunction.TruePositive(row, window, profile));
                        detected[index] = true;
                        truePositives++;
                    }
                    else
                    {
                        falseNegatives++;
                    }
                }
                else if (detections[row])
                {
                    falsePositiveSum += ScoringFunction.FalsePositive(row, preceding, profile);
                    falsePositives++;
                }
                else
                {
                    trueNegatives++;
                }
            }

            if (current is { } open && open.Last == row)
            {
                preceding = open;
                current = null;
            }
        }

        var raw = falsePositiveSum;
        int scoredWindows = 0, detectedWindows = 0;
        for (var w = 0; w < best.Length; w++)
        {
            if (best[w] is { } value)
            {
                raw += value;
                scoredWindows++;
                detectedWindows += detected[w] ? 1 : 0;
            }
        }

        return new SeriesScore(raw, scoredWindows, detectedWindows, falsePositives,
            new RecordCounts(truePositives, trueNegatives, falsePositives, falseNegatives), detections.Count);
    }
}
