using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Configuration;

/// <summary>Validates <see cref="ApiOptions"/>, naming the offending key.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var urls = (options.Urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            return ValidateOptionsResult.Fail($"{ApiOptions.SectionName}:{nameof(options.Urls)} is required.");
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return ValidateOptionsResult.Fail($"{ApiOptions.SectionName}:{nameof(options.Urls)} has an invalid URL '{url}' (expected http://host:port).");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
