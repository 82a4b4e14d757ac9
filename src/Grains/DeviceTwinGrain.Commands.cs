using System.Text.Json;
using DeviceTwins.Grains.Commands;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains;

/// <summary>
/// Commands of the device, held by its twin: the twin is their one writer, so they run one at a time and in order.
/// Every state change is stored with the twin, then published from its outbox (a <c>sent</c> one is the delivery)
/// and told to the twin's change observers; timeouts are due work in the durable wake index, so they survive a crash.
/// Results and connection changes arrive in the device's telemetry, in order with everything else it sends.
/// </summary>
public sealed partial class DeviceTwinGrain
{
    /// <summary>Command events a twin holds unpublished before it refuses new commands (Busy).</summary>
    public const int MaxCommandOutbox = 500;

    private TwinCommands Commands => twin.State.Commands ??= new TwinCommands();

    private int PendingCommandEvents => twin.State.Commands?.PendingEvents.Count ?? 0;

    public async Task<CommandSubmitResult> SubmitCommandAsync(CommandRequest request, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        var state = twin.State;
        if (state.Exists && !caller.Sees(state.Tags))
        {
            return new CommandSubmitResult(CommandSubmitStatus.NotFound, null);
        }

        if (PendingCommandEvents >= MaxCommandOutbox || !await HasRoomForApiWriteAsync())
        {
            return new CommandSubmitResult(CommandSubmitStatus.Busy, null);
        }

        var now = services.Time.GetUtcNow();
        var before = state.Version;
        var created = !state.Exists;
        if (created)
        {
            // A command for a device not seen yet waits for it, like a desired patch, in the caller's tenant.
            if (caller.Tenant is { } tenant)
            {
                state.Tags = new Dictionary<string, string>(StringComparer.Ordinal) { [Tenants.TagKey] = tenant };
                _rules = null;
            }

            state.Version++;
            state.UpdatedAt = now;
        }

        var events = PendingCommandEvents;
        var result = Commands.Submit(Guid.NewGuid().ToString("N"), DeviceId, Tenant, caller.Name, request, now, CommandLimits.Default);
        if (result.Status != CommandSubmitStatus.Created)
        {
            if (created)
            {
                state.Version--;
            }

            return result;
        }

        Audit(caller, AuditActions.CommandSubmit, result.Command!.Id, before, RequestJson(request));
        await WriteCommandChangesAsync(events);
        return result with { Command = Commands.Find(result.Command.Id) };
    }

    public async Task<CommandCancelResult> CancelCommandAsync(string commandId, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(commandId);
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        if (IsHiddenFrom(caller) || twin.State.Commands is null)
        {
            return new CommandCancelResult(CommandCancelStatus.NotFound, null);
        }

        if (!await HasRoomForApiWriteAsync())
        {
            return new CommandCancelResult(CommandCancelStatus.Busy, null);
        }

        var events = PendingCommandEvents;
        var result = Commands.Cancel(commandId, services.Time.GetUtcNow(), CommandLimits.Default);
        if (result.Status == CommandCancelStatus.Cancelled)
        {
            Audit(caller, AuditActions.CommandCancel, commandId, twin.State.Version, "{\"state\":\"cancelled\"}");
            await WriteCommandChangesAsync(events);
        }

        return result;
    }

    public async Task<IReadOnlyList<CommandInfo>?> GetCommandsAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        return IsHiddenFrom(caller) ? null : twin.State.Commands?.All() ?? [];
    }

    // Applies a record's command result or connection change; the turn writes afterwards.
    private void ApplyCommandRecord(TelemetryEvent telemetry, DateTimeOffset now)
    {
        if (telemetry.Connection is { } connection)
        {
            Commands.Connect(connection, now);
        }

        if (telemetry.CommandResult is { } report && twin.State.Commands is { } commands && !commands.Report(report, now, CommandLimits.Default))
        {
            services.Metrics.CommandReportIgnored();
        }
    }

    // Ends the commands whose timeout passed (called with the due analytics work).
    private void ExpireCommands() => twin.State.Commands?.Expire(services.Time.GetUtcNow(), CommandLimits.Default);

    // Stores command changes made since the outbox held `events` command events, then tells the change observers.
    private async Task WriteCommandChangesAsync(int events)
    {
        var fresh = FreshCommandEvents(events);
        await WriteAsync(0, first: true);
        Outbox.Kick();
        Arm();
        await NotifyCommandsAsync(fresh);
    }

    // The command events added since the outbox held `events` (only its head leaves, when published, so the tail is the new part).
    private List<CommandInfo>? FreshCommandEvents(int events)
    {
        var pending = twin.State.Commands?.PendingEvents;
        return pending is null || pending.Count <= events ? null : pending.GetRange(events, pending.Count - events);
    }

    private static string RequestJson(CommandRequest request)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", request.Name);
            json.WritePropertyName("payload");
            if (request.Payload is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(request.Payload);
            }

            json.WriteString("timeout", System.Xml.XmlConvert.ToString(request.Timeout));
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
