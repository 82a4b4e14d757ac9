namespace DeviceTwins.Grains.Twin;

/// <summary>A twin's retry delay after a failure: 1 s, doubling to 30 s, back to 1 s after a success.</summary>
public sealed class RetryBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <summary>The delay the next failure waits.</summary>
    public TimeSpan Delay { get; private set; } = First;

    /// <summary>Returns the delay to wait now and doubles the next one.</summary>
    public TimeSpan Failed()
    {
        var delay = Delay;
        Delay = TimeSpan.FromTicks(Math.Min(Max.Ticks, Delay.Ticks * 2));
        return delay;
    }

    /// <summary>A success: the next failure waits the first delay again.</summary>
    public void Succeeded() => Delay = First;
}
