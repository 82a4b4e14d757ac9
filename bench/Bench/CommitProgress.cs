using System.Diagnostics;

namespace DeviceTwins.Bench;

/// <summary>How many offsets were committed, and when (a Stopwatch timestamp).</summary>
internal readonly record struct CommitProgress(long Committed, long Timestamp)
{
    public TimeSpan At(Stopwatch clock) => clock.Elapsed - Stopwatch.GetElapsedTime(Timestamp);
}
