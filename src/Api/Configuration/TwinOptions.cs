namespace DeviceTwins.Api.Configuration;

/// <summary>Limits of the twin documents written over the API (section "Twin").</summary>
public sealed class TwinOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Twin";

    /// <summary>Largest desired patch and resulting desired document, in UTF-8 bytes.</summary>
    public int MaxDocumentBytes { get; set; } = 32 * 1024;

    /// <summary>Deepest nesting of a desired patch (the patch object itself is 1).</summary>
    public int MaxDepth { get; set; } = 8;
}
