using System.Globalization;

namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// Raises when a run of values, all within <see cref="FlatlineOptions.Epsilon"/> of the run's first value, reaches
/// <see cref="FlatlineOptions.MinRecords"/> records or spans <see cref="FlatlineOptions.MinDuration"/> of event time, whichever
/// comes first; clears as soon as a value leaves the run, which starts a new run. The score is the run's length in records
/// when MinRecords is set, otherwise its span in seconds.
/// </summary>
public sealed class FlatlineDetector : IMetricDetector
{
    private const string NotFlat = "no flat run long enough";

    private readonly double epsilon;
    private readonly int? minRecords;
    private readonly TimeSpan? minDuration;

    /// <summary>Creates the detector from validated options, which it copies.</summary>
    public FlatlineDetector(FlatlineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorGuard.ThrowIfInvalid(options.Validate(), nameof(options));
        epsilon = options.Epsilon;
        minRecords = options.MinRecords;
        minDuration = options.MinDuration;
    }

    /// <inheritdoc />
    public DetectorKind Kind => DetectorKind.Flatline;

    /// <inheritdoc />
    public DetectorState CreateState() => new FlatlineState();

    /// <inheritdoc />
    public DetectorVerdict Observe(DetectorState state, string metric, double value, DateTimeOffset timestamp)
    {
        var run = DetectorGuard.StateAs<FlatlineState>(state);
        if (!double.IsFinite(value))
        {
            return DetectorGuard.NotFinite(state);
        }

        var previousRunValue = run.RunValue;
        if (run.RunStart is null || !(Math.Abs(value - run.RunValue) <= epsilon))
        {
            run.RunValue = value;
            run.RunStart = timestamp;
            run.RunRecords = 1;
        }
        else
        {
            run.RunRecords = DetectorGuard.Increment(run.RunRecords);
        }

        run.LastTimestamp = timestamp;
        run.LastValue = value;
        var span = timestamp - run.RunStart.Value;
        var wasAnomalous = run.Anomalous;
        run.Anomalous = run.RunRecords >= minRecords || span >= minDuration;
        var score = minRecords is null ? span.TotalSeconds : run.RunRecords;
        if (run.Anomalous)
        {
            return new(true, score, string.Create(CultureInfo.InvariantCulture, $"{metric} flat at {run.RunValue:G6} (within {epsilon:G6}) for {run.RunRecords} records over {span.TotalSeconds:G6} s"))
            {
                Evidence = run.RunRecords >= minRecords
                    ? new DetectorEvidence("records unchanged", run.RunRecords, minRecords.GetValueOrDefault())
                    : new DetectorEvidence("seconds unchanged", span.TotalSeconds, minDuration.GetValueOrDefault().TotalSeconds),
            };
        }

        return new(false, score, wasAnomalous
            ? string.Create(CultureInfo.InvariantCulture, $"{metric} {value:G6} left the flat run at {previousRunValue:G6}")
            : NotFlat)
        {
            Evidence = wasAnomalous ? new DetectorEvidence("change from the flat value", Math.Abs(value - previousRunValue), epsilon) : null,
        };
    }
}
