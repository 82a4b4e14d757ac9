namespace DeviceTwins.Testing;

/// <summary>
/// The one polling loop of the tests: probes an asynchronous system until a condition holds or a deadline
/// passes. Used only where the system under test has no hook to wait on (other processes, Kafka, HTTP).
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns the first probed value satisfying <paramref name="done"/>; throws a <see cref="TimeoutException"/> describing the last one otherwise.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(describe);
        var deadline = DateTime.UtcNow + timeout;
        var last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout}: {describe(last)}");
            }

            await Task.Delay(Interval);
            last = await probe();
        }

        return last;
    }

    /// <summary>As <see cref="Until{T}(Func{Task{T}}, Func{T, bool}, TimeSpan, Func{T, string})"/>, describing the wait by <paramref name="what"/> and the last value.</summary>
    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what) =>
        Until(probe, done, timeout, last => $"waiting for {what}; last value: {last}");
}
