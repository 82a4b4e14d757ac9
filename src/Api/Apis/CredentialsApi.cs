using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Credentials;
using Microsoft.AspNetCore.Http.HttpResults;
using static DeviceTwins.Api.Apis.ApiProblems;

namespace DeviceTwins.Api.Apis;

/// <summary>REST endpoints for a device's MQTT credentials: issue (the secret shown once), list, revoke.</summary>
public static class CredentialsApi
{
    /// <summary>Maps the credential routes under /api/devices/{id}/credentials.</summary>
    public static RouteGroupBuilder MapCredentialsApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/devices/{id}/credentials").WithTags("Credentials");
        group.MapPost(string.Empty, IssueCredential)
            .WithName("IssueDeviceCredential")
            .WithSummary("Issues a credential for the device to connect to the MQTT bridge; the secret is in this response only.")
            .WithDescription("The device connects with client id and user name = its device id and password = the secret. Only the secret's SHA-256 is stored. A device holds at most 4 credentials (409 beyond), so a secret can be rotated: issue a new one, move the device, revoke the old. Creates the twin of a device not seen yet (in the caller's tenant). Audited (never the secret).")
            .Produces<IssuedCredentialResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet(string.Empty, GetCredentials)
            .WithName("GetDeviceCredentials")
            .WithSummary("Lists the device's credentials: ids, when and by whom issued.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{credentialId}", RevokeCredential)
            .WithName("RevokeDeviceCredential")
            .WithSummary("Revokes a credential: new connections with it are refused, and the bridge disconnects a device using it at its next check (Mqtt:CredentialCheckInterval).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>POST /api/devices/{id}/credentials.</summary>
    public static async Task<Results<Created<IssuedCredentialResponse>, ProblemHttpResult>> IssueCredential(string id, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var twin = grains.GetGrainByKey<IDeviceTwinGrain>(id);
        var caller = callers.Of(context);
        var secret = DeviceSecrets.Create();
        var credential = await twin.IssueCredentialAsync(DeviceSecrets.NewId(), DeviceSecrets.Hash(secret), caller);
        if (credential is null)
        {
            return await twin.GetCredentialsAsync(caller) is null
                ? DeviceNotFound(id, context)
                : Problem(StatusCodes.Status409Conflict, "Too many credentials", $"The device holds {DeviceSecrets.MaxPerDevice} credentials: revoke one first.", context);
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created(
            $"/api/devices/{Uri.EscapeDataString(id)}/credentials/{credential.Id}",
            new IssuedCredentialResponse(credential.Id, secret, credential.CreatedAt, credential.CreatedBy, id, id));
    }

    /// <summary>GET /api/devices/{id}/credentials.</summary>
    public static async Task<Results<Ok<IReadOnlyList<CredentialResponse>>, ProblemHttpResult>> GetCredentials(string id, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var credentials = await grains.GetGrainByKey<IDeviceTwinGrain>(id).GetCredentialsAsync(callers.Of(context));
        return credentials is null
            ? DeviceNotFound(id, context)
            : TypedResults.Ok<IReadOnlyList<CredentialResponse>>([.. credentials.Select(c => new CredentialResponse(c.Id, c.CreatedAt, c.CreatedBy))]);
    }

    /// <summary>DELETE /api/devices/{id}/credentials/{credentialId}.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeCredential(string id, string credentialId, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        return await grains.GetGrainByKey<IDeviceTwinGrain>(id).RevokeCredentialAsync(credentialId, callers.Of(context))
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status404NotFound, "Credential not found", $"Device '{id}' has no credential '{credentialId}'.", context);
    }
}
