using System.Net;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Configuration;

/// <summary>Validates <see cref="OrleansOptions"/>, naming the offending key.</summary>
public sealed class OrleansOptionsValidator : IValidateOptions<OrleansOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string s = OrleansOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{s}:{nameof(options.ClusterId)} is required.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{s}:{nameof(options.ServiceId)} is required.");
        }

        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add($"{s}:{nameof(options.SiloPort)} must be a TCP port (1-65535).");
        }

        if (options.GatewayPort is < 1 or > 65535 || options.GatewayPort == options.SiloPort)
        {
            failures.Add($"{s}:{nameof(options.GatewayPort)} must be a TCP port (1-65535) other than {s}:{nameof(options.SiloPort)}.");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedIpAddress) && !IPAddress.TryParse(options.AdvertisedIpAddress, out _))
        {
            failures.Add($"{s}:{nameof(options.AdvertisedIpAddress)} must be an IP address.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
