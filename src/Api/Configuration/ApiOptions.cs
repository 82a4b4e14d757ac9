namespace DeviceTwins.Api.Configuration;

/// <summary>REST API settings (section "Api").</summary>
public sealed class ApiOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Api";

    /// <summary>Semicolon-separated URLs the API listens on.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Serves the OpenAPI document (<c>/openapi/v1.json</c>) and the reference page (<c>/api/reference</c>) without a
    /// credential: they describe the contract and hold no device data. When false, the document needs the role read and
    /// the page is not served (a browser cannot send the key header with a page load).
    /// </summary>
    public bool PublicReference { get; set; } = true;
}
