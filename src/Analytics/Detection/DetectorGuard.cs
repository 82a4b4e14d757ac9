namespace DeviceTwins.Analytics.Detection;

/// <summary>Argument checks and shared verdicts of the detectors.</summary>
internal static class DetectorGuard
{
    /// <summary>Reason of a verdict for a value that is not a finite number.</summary>
    public const string NotFiniteReason = "value is not a finite number; ignored";

    /// <summary>Throws when <paramref name="errors"/> holds any message.</summary>
    public static void ThrowIfInvalid(IEnumerable<string> errors, string paramName)
    {
        var messages = errors.ToList();
        if (messages.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", messages), paramName);
        }
    }

    /// <summary>The state as the detector's own state type.</summary>
    public static T StateAs<T>(DetectorState state)
        where T : DetectorState
    {
        ArgumentNullException.ThrowIfNull(state);
        return state as T ?? throw new ArgumentException($"Expected a {typeof(T).Name}, got a {state.GetType().Name}.", nameof(state));
    }

    /// <summary>The verdict for a value that is not a finite number: the state is left untouched.</summary>
    public static DetectorVerdict NotFinite(DetectorState state) => new(state.Anomalous, 0, NotFiniteReason);

    /// <summary>Adds one to a counter, stopping at <see cref="int.MaxValue"/>.</summary>
    public static int Increment(int count) => count == int.MaxValue ? count : count + 1;
}
