using DeviceTwins.Grains.Interfaces.Commands;

namespace DeviceTwins.Grains.Commands;

/// <summary>
/// The commands of one device and their lifecycle, stored with its twin: unfinished commands in order (only the first
/// is ever in flight), the latest ended ones, the device's connection as last reported, and the outbox of command
/// events (every state change) stored with the change and published after it. Plain C#: every transition takes the
/// time it happens at, and the twin writes after calling it.
/// </summary>
[GenerateSerializer, Alias("dt.twin-commands")]
public sealed class TwinCommands
{
    /// <summary>Unfinished commands, oldest first; the first may be sent or accepted, the others are queued.</summary>
    [Id(0)]
    public List<CommandInfo> Open { get; set; } = [];

    /// <summary>The latest ended commands, oldest first, up to <see cref="CommandLimits.RetainedFinished"/>.</summary>
    [Id(1)]
    public List<CommandInfo> Finished { get; set; } = [];

    /// <summary>The device's connection as the bridge last reported it.</summary>
    [Id(2)]
    public DeviceConnection Connection { get; set; }

    /// <summary>State changes stored but not yet published, oldest first (a <c>sent</c> one is also a delivery).</summary>
    [Id(3)]
    public List<CommandInfo> PendingEvents { get; set; } = [];

    /// <summary>The earliest timeout among unfinished commands; null when none.</summary>
    public DateTimeOffset? NextDeadline
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var command in Open)
            {
                if (next is null || command.ExpiresAt < next)
                {
                    next = command.ExpiresAt;
                }
            }

            return next;
        }
    }

    /// <summary>Every command held, unfinished first (oldest first), then the ended ones, newest first.</summary>
    public IReadOnlyList<CommandInfo> All() => [.. Open, .. Enumerable.Reverse(Finished)];

    /// <summary>The command with <paramref name="id"/>, unfinished or retained; null when unknown.</summary>
    public CommandInfo? Find(string id) =>
        Open.Find(c => string.Equals(c.Id, id, StringComparison.Ordinal)) ?? Finished.Find(c => string.Equals(c.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// Queues a new command (sent at once when nothing is in flight and the device is not known to be offline), or
    /// returns the one an earlier request with the same idempotency key created.
    /// </summary>
    public CommandSubmitResult Submit(string id, string deviceId, string? tenant, string createdBy, CommandRequest request, DateTimeOffset now, CommandLimits limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        if (request.IdempotencyKey is { } key
            && All().FirstOrDefault(c => string.Equals(c.IdempotencyKey, key, StringComparison.Ordinal)) is { } earlier)
        {
            var same = string.Equals(earlier.Name, request.Name, StringComparison.Ordinal) && string.Equals(earlier.Payload, request.Payload, StringComparison.Ordinal);
            return new CommandSubmitResult(same ? CommandSubmitStatus.Existing : CommandSubmitStatus.IdempotencyConflict, same ? earlier : null);
        }

        if (Open.Count >= limits.MaxUnfinished)
        {
            return new CommandSubmitResult(CommandSubmitStatus.QueueFull, null);
        }

        var command = new CommandInfo(id, deviceId, request.Name, request.Payload, CommandState.Queued, now, now, now + request.Timeout, 0, null, tenant)
        {
            IdempotencyKey = request.IdempotencyKey,
            CreatedBy = createdBy,
        };
        Open.Add(command);
        PendingEvents.Add(command);
        SendNext(now);
        return new CommandSubmitResult(CommandSubmitStatus.Created, Find(id));
    }

    /// <summary>Cancels a command that is still queued; one sent or ended is too late.</summary>
    public CommandCancelResult Cancel(string id, DateTimeOffset now, CommandLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var index = Open.FindIndex(c => string.Equals(c.Id, id, StringComparison.Ordinal));
        if (index < 0)
        {
            return Finished.Find(c => string.Equals(c.Id, id, StringComparison.Ordinal)) is { } ended
                ? new CommandCancelResult(CommandCancelStatus.TooLate, ended)
                : new CommandCancelResult(CommandCancelStatus.NotFound, null);
        }

        if (Open[index].State != CommandState.Queued)
        {
            return new CommandCancelResult(CommandCancelStatus.TooLate, Open[index]);
        }

        var cancelled = End(index, CommandState.Cancelled, null, now, limits);
        SendNext(now);
        return new CommandCancelResult(CommandCancelStatus.Cancelled, cancelled);
    }

    /// <summary>
    /// Applies the device's report on its command in flight: receipt moves it to accepted, an outcome ends it and sends
    /// the next. A report on any other command (a duplicate, one that ended, one never sent) changes nothing: false.
    /// </summary>
    public bool Report(CommandResultReport report, DateTimeOffset now, CommandLimits limits)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(limits);
        if (Open.Count == 0 || !string.Equals(Open[0].Id, report.CommandId, StringComparison.Ordinal))
        {
            return false;
        }

        var current = Open[0];
        if (current.State == CommandState.Queued)
        {
            return false;
        }

        switch (report.Status)
        {
            case CommandState.Accepted when current.State == CommandState.Sent:
                Change(0, current with { State = CommandState.Accepted, UpdatedAt = now });
                return true;
            case CommandState.Succeeded or CommandState.Failed:
                End(0, report.Status, report.Payload, now, limits);
                SendNext(now);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Ends every unfinished command whose timeout has passed, then sends the next; true when any expired.</summary>
    public bool Expire(DateTimeOffset now, CommandLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var expired = false;
        for (var i = 0; i < Open.Count;)
        {
            if (Open[i].ExpiresAt <= now)
            {
                End(i, CommandState.Expired, null, now, limits);
                expired = true;
            }
            else
            {
                i++;
            }
        }

        if (expired)
        {
            SendNext(now);
        }

        return expired;
    }

    /// <summary>
    /// Records the device's connection. On connecting, a command sent but not accepted is sent again (the device may
    /// never have received it) and a queued one is sent; on disconnecting, queued commands wait. True when anything changed.
    /// </summary>
    public bool Connect(DeviceConnection connection, DateTimeOffset now)
    {
        var changed = Connection != connection;
        Connection = connection;
        if (connection != DeviceConnection.Connected || Open.Count == 0)
        {
            return changed;
        }

        if (Open[0].State == CommandState.Sent)
        {
            Change(0, Open[0] with { Attempt = Open[0].Attempt + 1, UpdatedAt = now });
            return true;
        }

        return SendNext(now) || changed;
    }

    // Sends the first command when it is queued and the device is not known to be offline.
    private bool SendNext(DateTimeOffset now)
    {
        if (Open.Count == 0 || Open[0].State != CommandState.Queued || Connection == DeviceConnection.Disconnected)
        {
            return false;
        }

        Change(0, Open[0] with { State = CommandState.Sent, Attempt = 1, UpdatedAt = now });
        return true;
    }

    private void Change(int index, CommandInfo command)
    {
        Open[index] = command;
        PendingEvents.Add(command);
    }

    private CommandInfo End(int index, CommandState state, string? result, DateTimeOffset now, CommandLimits limits)
    {
        var ended = Open[index] with { State = state, Result = result, UpdatedAt = now };
        Open.RemoveAt(index);
        PendingEvents.Add(ended);
        Finished.Add(ended);
        if (Finished.Count > limits.RetainedFinished)
        {
            Finished.RemoveRange(0, Finished.Count - limits.RetainedFinished);
        }

        return ended;
    }
}
