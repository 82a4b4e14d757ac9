using System.Xml;
using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Apis;

/// <summary>REST endpoint for the fleet's figures: counts by status from the device index shards, and the intake's rate and lag.</summary>
public static class FleetStatsApi
{
    /// <summary>Maps GET /api/fleet/stats.</summary>
    public static RouteGroupBuilder MapFleetStatsApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/fleet").WithTags("Devices");
        group.MapGet("/stats", GetFleetStats)
            .WithName("GetFleetStats")
            .WithSummary("Counts the fleet's devices by status and, for a caller of every tenant, gives the telemetry intake's records/s and consumer lag.")
            .WithDescription("devices, online, offline, alerting and activeAlerts come from the fleet device index (asOf and staleness say how fresh it is); a caller of one tenant counts its tenant's devices. recordsPerSecond (records applied to twins per second, over each silo's last two samples), consumerLag (records in Kafka not yet applied and committed) and silos (silos reporting) are sampled every 2 s; left out for a caller of one tenant.");
        return group;
    }

    /// <summary>GET /api/fleet/stats.</summary>
    public static async Task<Ok<FleetStatsResponse>> GetFleetStats(IGrainFactory grains, IOptions<DeviceIndexOptions> options, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(callers);
        var index = options.Value;
        var tenant = callers.Of(context).Tenant;
        var counting = Task.WhenAll(Enumerable.Range(0, index.Shards).Select(shard => grains.GetGrainByKey<IDeviceIndexGrain>(shard).CountAsync(tenant)));
        // The intake is the whole platform's: a caller of one tenant does not see the others' volume.
        var intake = tenant is null ? await grains.GetGrain<IIngestStatsGrain>(0).GetAsync() : null;
        var counts = (await counting).Aggregate(FleetCounts.None, (sum, shard) => sum.Add(shard));
        return TypedResults.Ok(new FleetStatsResponse(
            counts.Devices,
            counts.Online,
            counts.Offline,
            counts.Alerting,
            counts.ActiveAlerts,
            counts.AsOf,
            XmlConvert.ToString(index.FlushInterval),
            intake is null ? null : Math.Round(intake.RecordsPerSecond, 1),
            intake?.ConsumerLag,
            intake?.Silos));
    }
}
