using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Contracts;

/// <summary>A parsed GET /api/devices request: the filters, the page size and the id the page starts after.</summary>
public sealed record DeviceQueryRequest(DeviceQuery Query, int Limit, string? AfterId);
