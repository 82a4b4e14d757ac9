using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Commands;
using Microsoft.AspNetCore.Http.HttpResults;
using static DeviceTwins.Api.Apis.ApiProblems;

namespace DeviceTwins.Api.Apis;

/// <summary>REST endpoints for a device's commands: submit, list, read one, cancel.</summary>
public static class CommandsApi
{
    /// <summary>Maps the command routes under /api/devices/{id}/commands.</summary>
    public static RouteGroupBuilder MapCommandsApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/devices/{id}/commands").WithTags("Commands");
        group.MapPost(string.Empty, SubmitCommand)
            .WithName("SubmitDeviceCommand")
            .WithSummary("Sends a device a command; answers 202 with the command and its Location.")
            .WithDescription("The body is {\"name\":\"reboot\",\"payload\":{...},\"timeout\":\"PT5M\"} (payload optional, any JSON of at most 16 KiB; timeout an ISO-8601 duration from PT1S to P7D, default PT5M). States: queued, sent, accepted (the device acknowledged receipt), then succeeded or failed (the device's result), expired (no result before the timeout) or cancelled. A device runs one command at a time, in order; one known to be disconnected keeps its queue until each command expires. An Idempotency-Key header makes a retried POST answer the command the first one created (409 if the key was used for a different command). 429 when the device holds 100 unfinished commands. Audited.")
            .Accepts<Dictionary<string, object>>("application/json")
            .Produces<CommandResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet(string.Empty, GetCommands)
            .WithName("GetDeviceCommands")
            .WithSummary("Lists a device's unfinished commands (oldest first), then its latest 20 ended ones (newest first).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{commandId}", GetCommand)
            .WithName("GetDeviceCommand")
            .WithSummary("Gets one command of a device.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{commandId}", CancelCommand)
            .WithName("CancelDeviceCommand")
            .WithSummary("Cancels a command that is still queued; 409 once it was sent or has ended.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    /// <summary>POST /api/devices/{id}/commands.</summary>
    public static async Task<Results<Accepted<CommandResponse>, ProblemHttpResult>> SubmitCommand(string id, HttpRequest request, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var (command, status, error) = await CommandRequestReader.ReadAsync(request, CommandLimits.Default, context.RequestAborted);
        if (command is null)
        {
            return status switch
            {
                StatusCodes.Status415UnsupportedMediaType => Problem(status, "Unsupported Media Type", error!, context),
                StatusCodes.Status413PayloadTooLarge => Problem(status, "Command too large", error!, context),
                _ => Problem(status, "Invalid command", error!, context),
            };
        }

        var result = await grains.GetGrainByKey<IDeviceTwinGrain>(id).SubmitCommandAsync(command, callers.Of(context));
        return result.Status switch
        {
            CommandSubmitStatus.Created or CommandSubmitStatus.Existing => TypedResults.Accepted(Location(id, result.Command!.Id), result.Command.ToResponse()),
            CommandSubmitStatus.IdempotencyConflict => Problem(StatusCodes.Status409Conflict, "Idempotency key reused", "The Idempotency-Key was used for a different command (name or payload) of this device.", context),
            CommandSubmitStatus.QueueFull => Problem(StatusCodes.Status429TooManyRequests, "Too many commands", $"The device holds {CommandLimits.Default.MaxUnfinished} unfinished commands; wait for them to end or cancel some.", context),
            CommandSubmitStatus.NotFound => DeviceNotFound(id, context),
            CommandSubmitStatus.Busy => Busy(context),
            _ => throw new InvalidOperationException($"Unexpected command submit status {result.Status}."),
        };
    }

    /// <summary>GET /api/devices/{id}/commands.</summary>
    public static async Task<Results<Ok<IReadOnlyList<CommandResponse>>, ProblemHttpResult>> GetCommands(string id, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var commands = await grains.GetGrainByKey<IDeviceTwinGrain>(id).GetCommandsAsync(callers.Of(context));
        return commands is null ? DeviceNotFound(id, context) : TypedResults.Ok<IReadOnlyList<CommandResponse>>([.. commands.Select(c => c.ToResponse())]);
    }

    /// <summary>GET /api/devices/{id}/commands/{commandId}.</summary>
    public static async Task<Results<Ok<CommandResponse>, ProblemHttpResult>> GetCommand(string id, string commandId, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var commands = await grains.GetGrainByKey<IDeviceTwinGrain>(id).GetCommandsAsync(callers.Of(context));
        if (commands is null)
        {
            return DeviceNotFound(id, context);
        }

        return commands.FirstOrDefault(c => string.Equals(c.Id, commandId, StringComparison.Ordinal)) is { } command
            ? TypedResults.Ok(command.ToResponse())
            : CommandNotFound(id, commandId, context);
    }

    /// <summary>DELETE /api/devices/{id}/commands/{commandId}.</summary>
    public static async Task<Results<Ok<CommandResponse>, ProblemHttpResult>> CancelCommand(string id, string commandId, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var result = await grains.GetGrainByKey<IDeviceTwinGrain>(id).CancelCommandAsync(commandId, callers.Of(context));
        return result.Status switch
        {
            CommandCancelStatus.Cancelled => TypedResults.Ok(result.Command!.ToResponse()),
            CommandCancelStatus.TooLate => Problem(StatusCodes.Status409Conflict, "Command not cancellable", $"Command '{commandId}' is {CommandStates.Name(result.Command!.State)}: only a queued command can be cancelled.", context),
            CommandCancelStatus.Busy => Busy(context),
            _ => CommandNotFound(id, commandId, context),
        };
    }

    private static string Location(string id, string commandId) => $"/api/devices/{Uri.EscapeDataString(id)}/commands/{commandId}";

    private static ProblemHttpResult CommandNotFound(string id, string commandId, HttpContext context) =>
        Problem(StatusCodes.Status404NotFound, "Command not found", $"Device '{id}' has no command '{commandId}' (ended commands are kept up to the latest {CommandLimits.Default.RetainedFinished}).", context);
}
