using System.Threading.Channels;

namespace DeviceTwins.Api.Changes;

/// <summary>
/// One alert stream's place in the shared feed: the records it missed that the feed still holds (<see cref="Replay"/>),
/// then every new one through a bounded buffer. A stream that falls a whole buffer behind is cut off
/// (<see cref="Overflowed"/>) and resumes from its last event id on reconnect, so a slow client cannot hold memory.
/// </summary>
public sealed class AlertSubscription : IDisposable
{
    private readonly AlertFanOut _owner;
    private int _overflowed;

    public AlertSubscription(AlertFanOut owner, IReadOnlyList<AlertFeedEvent> replay, int buffer)
    {
        _owner = owner;
        Replay = replay;
        Channel = System.Threading.Channels.Channel.CreateBounded<AlertFeedEvent>(new BoundedChannelOptions(buffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Records after the stream's position that the feed had already read when the stream attached.</summary>
    public IReadOnlyList<AlertFeedEvent> Replay { get; }

    /// <summary>Records the feed reads from now on.</summary>
    public ChannelReader<AlertFeedEvent> Events => Channel.Reader;

    /// <summary>Whether the stream was cut off because its buffer was full.</summary>
    public bool Overflowed => Volatile.Read(ref _overflowed) == 1;

    internal Channel<AlertFeedEvent> Channel { get; }

    /// <summary>Offers a record; false (and the stream is ended) when its buffer is full.</summary>
    internal bool Offer(AlertFeedEvent record)
    {
        if (Channel.Writer.TryWrite(record))
        {
            return true;
        }

        Volatile.Write(ref _overflowed, 1);
        Channel.Writer.TryComplete();
        return false;
    }

    /// <summary>Ends the stream (the feed stopped, or the client left).</summary>
    internal void End() => Channel.Writer.TryComplete();

    public void Dispose() => _owner.Detach(this);
}
