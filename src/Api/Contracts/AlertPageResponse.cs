namespace DeviceTwins.Api.Contracts;

/// <summary>A page of fleet alerts, newest raise first; <c>next</c> is the cursor of the following page, null on the last.</summary>
public sealed record AlertPageResponse(IReadOnlyList<AlertResponse> Items, string? Next);
