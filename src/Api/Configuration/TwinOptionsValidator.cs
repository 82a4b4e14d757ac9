using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Configuration;

/// <summary>Validates <see cref="TwinOptions"/>, naming the offending key.</summary>
public sealed class TwinOptionsValidator : IValidateOptions<TwinOptions>
{
    /// <summary>Largest accepted <see cref="TwinOptions.MaxDocumentBytes"/> (the twin is stored and served whole).</summary>
    public const int MaxDocumentBytesLimit = 1024 * 1024;

    /// <summary>Largest accepted <see cref="TwinOptions.MaxDepth"/>.</summary>
    public const int MaxDepthLimit = 32;

    public ValidateOptionsResult Validate(string? name, TwinOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxDocumentBytes is < 2 or > MaxDocumentBytesLimit)
        {
            failures.Add($"{TwinOptions.SectionName}:{nameof(options.MaxDocumentBytes)} must be between 2 and {MaxDocumentBytesLimit}.");
        }

        if (options.MaxDepth is < 1 or > MaxDepthLimit)
        {
            failures.Add($"{TwinOptions.SectionName}:{nameof(options.MaxDepth)} must be between 1 and {MaxDepthLimit}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
