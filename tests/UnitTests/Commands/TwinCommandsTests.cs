using DeviceTwins.Grains.Commands;
using DeviceTwins.Grains.Interfaces.Commands;

namespace DeviceTwins.UnitTests.Commands;

public sealed class TwinCommandsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly CommandLimits Limits = new(3, 2, TimeSpan.FromDays(7), 1024);

    private static CommandRequest Request(string name = "reboot", string? payload = null, int timeoutSeconds = 60, string? key = null) =>
        new(name, payload, TimeSpan.FromSeconds(timeoutSeconds), key);

    private static CommandInfo Submit(TwinCommands commands, string id, CommandRequest? request = null, DateTimeOffset? at = null)
    {
        var result = commands.Submit(id, "dev-1", null, "writer", request ?? Request(), at ?? T0, Limits);
        Assert.Equal(CommandSubmitStatus.Created, result.Status);
        return result.Command!;
    }

    private static IEnumerable<(string, CommandState, int)> Events(TwinCommands commands) =>
        commands.PendingEvents.Select(e => (e.Id, e.State, e.Attempt));

    [Fact]
    public void Submit_NothingInFlight_QueuedThenSentAtOnce()
    {
        var commands = new TwinCommands();
        var command = Submit(commands, "c1", Request(payload: """{"delay":5}"""));
        Assert.Equal((CommandState.Sent, 1, T0.AddSeconds(60), """{"delay":5}""", "writer"), (command.State, command.Attempt, command.ExpiresAt, command.Payload, command.CreatedBy));
        Assert.Equal([("c1", CommandState.Queued, 0), ("c1", CommandState.Sent, 1)], Events(commands));
    }

    [Fact]
    public void Submit_OneInFlight_NextWaitsUntilTheFirstEnds_InOrder()
    {
        var commands = new TwinCommands();
        Submit(commands, "c1");
        Assert.Equal(CommandState.Queued, Submit(commands, "c2").State);
        Assert.Equal(CommandState.Queued, Submit(commands, "c3").State);
        Assert.True(commands.Report(new CommandResultReport("c1", CommandState.Accepted, null), T0.AddSeconds(1), Limits));
        Assert.Equal(CommandState.Queued, commands.Find("c2")!.State);
        Assert.True(commands.Report(new CommandResultReport("c1", CommandState.Succeeded, """{"ok":true}"""), T0.AddSeconds(2), Limits));
        Assert.Equal((CommandState.Succeeded, """{"ok":true}"""), (commands.Find("c1")!.State, commands.Find("c1")!.Result));
        Assert.Equal((CommandState.Sent, CommandState.Queued), (commands.Find("c2")!.State, commands.Find("c3")!.State));
        Assert.True(commands.Report(new CommandResultReport("c2", CommandState.Failed, null), T0.AddSeconds(3), Limits));
        Assert.Equal(CommandState.Sent, commands.Find("c3")!.State);
        Assert.Equal(["c3", "c2", "c1"], commands.All().Select(c => c.Id));
    }

    [Fact]
    public void Report_DuplicateLateOrUnknown_ChangesNothing()
    {
        var commands = new TwinCommands();
        Submit(commands, "c1");
        Submit(commands, "c2");
        Assert.False(commands.Report(new CommandResultReport("c2", CommandState.Succeeded, null), T0, Limits));
        Assert.False(commands.Report(new CommandResultReport("nope", CommandState.Accepted, null), T0, Limits));
        Assert.True(commands.Report(new CommandResultReport("c1", CommandState.Succeeded, null), T0, Limits));
        var events = commands.PendingEvents.Count;
        // The same result again (a device re-sending after a lost acknowledgement) and a late receipt.
        Assert.False(commands.Report(new CommandResultReport("c1", CommandState.Succeeded, null), T0, Limits));
        Assert.False(commands.Report(new CommandResultReport("c1", CommandState.Accepted, null), T0, Limits));
        Assert.Equal(events, commands.PendingEvents.Count);
        // Accepted twice is one transition.
        Assert.True(commands.Report(new CommandResultReport("c2", CommandState.Accepted, null), T0, Limits));
        Assert.False(commands.Report(new CommandResultReport("c2", CommandState.Accepted, null), T0, Limits));
    }

    [Fact]
    public void Expire_PastTimeout_EndsEveryOverdueCommandAndSendsTheNext()
    {
        var commands = new TwinCommands();
        Submit(commands, "c1", Request(timeoutSeconds: 10));
        Submit(commands, "c2", Request(timeoutSeconds: 5));
        Submit(commands, "c3", Request(timeoutSeconds: 60));
        Assert.Equal(T0.AddSeconds(5), commands.NextDeadline);
        Assert.False(commands.Expire(T0.AddSeconds(4), Limits));
        Assert.True(commands.Expire(T0.AddSeconds(10), Limits));
        Assert.Equal(
            (CommandState.Expired, CommandState.Expired, CommandState.Sent),
            (commands.Find("c1")!.State, commands.Find("c2")!.State, commands.Find("c3")!.State));
        Assert.Equal(T0.AddSeconds(60), commands.NextDeadline);
        // A result after the timeout is too late.
        Assert.False(commands.Report(new CommandResultReport("c1", CommandState.Succeeded, null), T0.AddSeconds(11), Limits));
    }

    [Fact]
    public void Cancel_QueuedOnly_SentOrEndedIsTooLate()
    {
        var commands = new TwinCommands();
        Submit(commands, "c1");
        Submit(commands, "c2");
        Assert.Equal(CommandCancelStatus.TooLate, commands.Cancel("c1", T0, Limits).Status);
        var cancelled = commands.Cancel("c2", T0, Limits);
        Assert.Equal((CommandCancelStatus.Cancelled, CommandState.Cancelled), (cancelled.Status, cancelled.Command!.State));
        Assert.Equal(CommandCancelStatus.TooLate, commands.Cancel("c2", T0, Limits).Status);
        Assert.Equal(CommandCancelStatus.NotFound, commands.Cancel("c9", T0, Limits).Status);
    }

    [Fact]
    public void Connection_Disconnected_QueuesUntilConnected_ThenResendsWhatWasNotAccepted()
    {
        var commands = new TwinCommands();
        commands.Connect(DeviceConnection.Disconnected, T0);
        Assert.Equal(CommandState.Queued, Submit(commands, "c1").State);
        Assert.True(commands.Connect(DeviceConnection.Connected, T0.AddSeconds(1)));
        Assert.Equal((CommandState.Sent, 1), (commands.Find("c1")!.State, commands.Find("c1")!.Attempt));
        // The device dropped before acknowledging: sent again when it is back, as attempt 2.
        commands.Connect(DeviceConnection.Disconnected, T0.AddSeconds(2));
        commands.Connect(DeviceConnection.Connected, T0.AddSeconds(3));
        Assert.Equal((CommandState.Sent, 2), (commands.Find("c1")!.State, commands.Find("c1")!.Attempt));
        // Accepted: a reconnect does not send it again (the device is carrying it out).
        Assert.True(commands.Report(new CommandResultReport("c1", CommandState.Accepted, null), T0.AddSeconds(4), Limits));
        commands.Connect(DeviceConnection.Disconnected, T0.AddSeconds(5));
        commands.Connect(DeviceConnection.Connected, T0.AddSeconds(6));
        Assert.Equal((CommandState.Accepted, 2), (commands.Find("c1")!.State, commands.Find("c1")!.Attempt));
        Assert.Equal(
            [("c1", CommandState.Queued, 0), ("c1", CommandState.Sent, 1), ("c1", CommandState.Sent, 2), ("c1", CommandState.Accepted, 2)],
            Events(commands));
    }

    [Fact]
    public void Submit_IdempotencyKey_SameRequestAnswersTheFirst_DifferentRequestConflicts()
    {
        var commands = new TwinCommands();
        var first = Submit(commands, "c1", Request(key: "k-1"));
        var again = commands.Submit("c2", "dev-1", null, "writer", Request(key: "k-1"), T0, Limits);
        Assert.Equal((CommandSubmitStatus.Existing, first.Id), (again.Status, again.Command!.Id));
        var other = commands.Submit("c3", "dev-1", null, "writer", Request(name: "selftest", key: "k-1"), T0, Limits);
        Assert.Equal((CommandSubmitStatus.IdempotencyConflict, null), (other.Status, other.Command));
        Assert.Single(commands.All());
    }

    [Fact]
    public void Limits_UnfinishedBounded_FinishedRetainedNewest()
    {
        var commands = new TwinCommands();
        Submit(commands, "c1");
        Submit(commands, "c2");
        Submit(commands, "c3");
        Assert.Equal(CommandSubmitStatus.QueueFull, commands.Submit("c4", "dev-1", null, "w", Request(), T0, Limits).Status);
        foreach (var id in new[] { "c1", "c2", "c3" })
        {
            Assert.True(commands.Report(new CommandResultReport(id, CommandState.Succeeded, null), T0, Limits));
        }

        Assert.Equal(["c3", "c2"], commands.All().Select(c => c.Id));
        Assert.Null(commands.NextDeadline);
    }
}
