namespace DeviceTwins.Api.Configuration;

/// <summary>REST API settings (section "Api").</summary>
public sealed class ApiOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Api";

    /// <summary>Semicolon-separated URLs the API listens on.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";
}
